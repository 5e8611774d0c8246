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
 */
public record RecommenderParams(
    int historyPerUser,
    int neighboursPerItem,
    double popularityHalfLifeHours,
    double learningRate,
    double l1,
    int negativesPerPositive,
    int maxUsers,
    long seed) {

  public RecommenderParams {
    if (historyPerUser < 1 || neighboursPerItem < 1 || negativesPerPositive < 0 || maxUsers < 1) {
      throw new IllegalArgumentException("recommender parameters must be positive");
    }
    if (!(popularityHalfLifeHours > 0) || !(learningRate > 0) || l1 < 0) {
      throw new IllegalArgumentException("half-life and learning rate must be > 0, l1 >= 0");
    }
  }

  public static RecommenderParams defaults() {
    return new RecommenderParams(30, 100, 24, 0.05, 0.5, 4, 1_000_000, 42);
  }

  /** The candidates an offline evaluation searches over. */
  public static List<RecommenderParams> grid() {
    RecommenderParams d = defaults();
    return List.of(
        d,
        d.withHistory(10),
        d.withHistory(60),
        d.withNeighbours(300),
        d.withNegatives(1).withLearningRate(0.1));
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
        seed);
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
        seed);
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
        seed);
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
        seed);
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
        seed);
  }
}
