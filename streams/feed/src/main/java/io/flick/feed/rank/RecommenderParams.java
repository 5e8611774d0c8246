package io.flick.feed.rank;

import java.util.List;

/**
 * The recommender's hyper-parameters. Offline evaluation picks among {@link #grid()} on validation
 * data; serving reads them from {@code flick.feed.model}.
 *
 * @param historyPerUser positive engagements remembered per user (the co-engagement window)
 * @param neighboursPerItem co-engaged items kept per item (strongest first)
 * @param popularityHalfLifeHours half-life of the decayed popularity (trending) counts
 * @param learningRate FTRL alpha of the online ranker
 * @param l1 FTRL L1 regularisation (keeps the hashed weights sparse)
 * @param negativesPerPositive sampled negatives trained with each positive engagement
 * @param maxUsers users whose recent history the model keeps (least recently active dropped)
 * @param seed negative sampling seed (runs are reproducible)
 * @param itemItemWeight weight of the {@link ItemItemTable} score added to the ranker's score (0:
 *     no table is fitted)
 * @param itemItemLambda the table's ridge λ
 * @param itemItemMaxItems the most engaged items the table is fitted over (memory: its square in
 *     floats while fitting)
 */
public record RecommenderParams(
    int historyPerUser,
    int neighboursPerItem,
    double popularityHalfLifeHours,
    double learningRate,
    double l1,
    int negativesPerPositive,
    int maxUsers,
    long seed,
    double itemItemWeight,
    double itemItemLambda,
    int itemItemMaxItems) {

  public RecommenderParams {
    if (historyPerUser < 1 || neighboursPerItem < 1 || negativesPerPositive < 0 || maxUsers < 1) {
      throw new IllegalArgumentException("recommender parameters must be positive");
    }
    if (!(popularityHalfLifeHours > 0) || !(learningRate > 0) || l1 < 0) {
      throw new IllegalArgumentException("half-life and learning rate must be > 0, l1 >= 0");
    }
    if (!(itemItemWeight >= 0) || !(itemItemLambda > 0) || itemItemMaxItems < 1) {
      throw new IllegalArgumentException(
          "item-item weight must be >= 0, its lambda > 0 and max items >= 1");
    }
  }

  public static RecommenderParams defaults() {
    return new RecommenderParams(30, 100, 24, 0.05, 0.5, 4, 1_000_000, 42, 0, 500, 6000);
  }

  /** The candidates an offline evaluation searches over. */
  public static List<RecommenderParams> grid() {
    RecommenderParams d = defaults();
    // the item-item table needs the long histories (sparse data: the few heavy users carry most
    // co-occurrences) and more than 100 neighbours per item; 10-history and 300-neighbour-only
    // settings never won on either generator, so they made room for these
    RecommenderParams table = d.withNeighbours(300);
    return List.of(
        d,
        d.withHistory(60),
        d.withNegatives(1).withLearningRate(0.1),
        table.withItemItem(64),
        table.withHistory(100).withItemItem(64),
        table.withHistory(100).withItemItem(128));
  }

  public RecommenderParams withHistory(int history) {
    return new RecommenderParams(
        history,
        neighboursPerItem,
        popularityHalfLifeHours,
        learningRate,
        l1,
        negativesPerPositive,
        maxUsers,
        seed,
        itemItemWeight,
        itemItemLambda,
        itemItemMaxItems);
  }

  public RecommenderParams withNeighbours(int neighbours) {
    return new RecommenderParams(
        historyPerUser,
        neighbours,
        popularityHalfLifeHours,
        learningRate,
        l1,
        negativesPerPositive,
        maxUsers,
        seed,
        itemItemWeight,
        itemItemLambda,
        itemItemMaxItems);
  }

  public RecommenderParams withNegatives(int negatives) {
    return new RecommenderParams(
        historyPerUser,
        neighboursPerItem,
        popularityHalfLifeHours,
        learningRate,
        l1,
        negatives,
        maxUsers,
        seed,
        itemItemWeight,
        itemItemLambda,
        itemItemMaxItems);
  }

  public RecommenderParams withLearningRate(double rate) {
    return new RecommenderParams(
        historyPerUser,
        neighboursPerItem,
        popularityHalfLifeHours,
        rate,
        l1,
        negativesPerPositive,
        maxUsers,
        seed,
        itemItemWeight,
        itemItemLambda,
        itemItemMaxItems);
  }

  public RecommenderParams withHalfLifeHours(double hours) {
    return new RecommenderParams(
        historyPerUser,
        neighboursPerItem,
        hours,
        learningRate,
        l1,
        negativesPerPositive,
        maxUsers,
        seed,
        itemItemWeight,
        itemItemLambda,
        itemItemMaxItems);
  }

  /** With the {@link ItemItemTable} blended in at this weight (0: none), λ kept. */
  public RecommenderParams withItemItem(double weight) {
    return new RecommenderParams(
        historyPerUser,
        neighboursPerItem,
        popularityHalfLifeHours,
        learningRate,
        l1,
        negativesPerPositive,
        maxUsers,
        seed,
        weight,
        itemItemLambda,
        itemItemMaxItems);
  }
}
