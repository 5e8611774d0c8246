package io.flick.feed.eval;

import io.flick.feed.rank.Parallel;
import java.util.List;

/**
 * Scores a {@link Ranker} on a held-out set: for every user, a full ranking over all catalog items
 * with the user's training items masked (nothing else: when scoring test, validation items stay
 * rankable), the top K by {@link TopK}, then {@link RankingMetrics} averaged twice: over the {@link
 * HeldOut#users() evaluated users} (in train, targets = their rankable items), and over {@link
 * HeldOut#everyUser() every user} with a relevant item, rankable or not (an item no ranking can
 * contain is a miss: the figure published tables report). Users are shared among up to {@code
 * threads} threads; the result does not depend on how many.
 */
public final class Evaluator {
  private final TrainingSet train;
  private final int k;
  private final int threads;

  /**
   * Mean metrics over the {@code users} evaluated users and over {@code allUsers} (every test
   * user), and how long ranking took.
   */
  public record Score(
      double recall,
      double ndcg,
      int users,
      double allRecall,
      double allNdcg,
      int allUsers,
      long millis) {}

  public Evaluator(TrainingSet train, int k, int threads) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    this.train = train;
    this.k = k;
    this.threads = threads;
  }

  public int k() {
    return k;
  }

  public Score evaluate(Ranker ranker, HeldOut heldOut) {
    long start = System.nanoTime();
    List<String> users = heldOut.everyUser();
    double[] recall = new double[users.size()];
    double[] ndcg = new double[users.size()];
    double[] allRecall = new double[users.size()];
    double[] allNdcg = new double[users.size()];
    boolean[] evaluated = new boolean[users.size()];
    boolean unseenLast = train.hasItemsBeyondTrain() && !ranker.ranksItemsBeyondTrain();
    int items = train.catalog().size();
    // each thread's buffers, reused for every user it ranks
    ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(() -> new Buffers(items, k));
    Parallel.forEach(
        threads,
        users.size(),
        u -> {
          Buffers b = buffers.get();
          double[] scores = b.scores;
          boolean[] masked = b.masked;
          int[] top = b.top;
          TopK topK = b.topK;
          String user = users.get(u);
          int[] trained = train.itemsOf(user);
          int[] targets = heldOut.targetsOf(user);
          if (targets.length == 0) {
            return; // nothing rankable: a miss, whatever the ranking
          }
          ranker.score(user, scores);
          if (unseenLast) {
            for (int item = 0; item < items; item++) {
              if (!train.inTrain(item)) {
                scores[item] = Double.NaN;
              }
            }
          }
          for (int item : trained) {
            masked[item] = true;
          }
          int count = topK.select(scores, masked, top);
          for (int item : trained) {
            masked[item] = false;
          }
          int relevant = heldOut.relevant(user);
          allRecall[u] = RankingMetrics.recall(top, count, targets, k, relevant);
          allNdcg[u] = RankingMetrics.ndcg(top, count, targets, k, relevant);
          if (train.hasUser(user)) {
            evaluated[u] = true;
            recall[u] = RankingMetrics.recall(top, count, targets, k);
            ndcg[u] = RankingMetrics.ndcg(top, count, targets, k);
          }
        });
    double recallSum = 0;
    double ndcgSum = 0;
    double allRecallSum = 0;
    double allNdcgSum = 0;
    int n = 0;
    for (int u = 0; u < users.size(); u++) { // fixed order: same sums whatever the thread count
      allRecallSum += allRecall[u];
      allNdcgSum += allNdcg[u];
      if (evaluated[u]) {
        recallSum += recall[u];
        ndcgSum += ndcg[u];
        n++;
      }
    }
    int all = users.size();
    return new Score(
        n == 0 ? Double.NaN : recallSum / n,
        n == 0 ? Double.NaN : ndcgSum / n,
        n,
        all == 0 ? Double.NaN : allRecallSum / all,
        all == 0 ? Double.NaN : allNdcgSum / all,
        all,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static final class Buffers {
    final double[] scores;
    final boolean[] masked;
    final int[] top;
    final TopK topK;

    Buffers(int n, int k) {
      scores = new double[n];
      masked = new boolean[n];
      top = new int[k];
      topK = new TopK(k);
    }
  }
}
