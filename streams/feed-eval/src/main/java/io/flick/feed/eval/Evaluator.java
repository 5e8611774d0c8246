package io.flick.feed.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          int n = train.catalog().size();
          double[] scores = new double[n];
          boolean[] masked = new boolean[n];
          int[] top = new int[k];
          TopK topK = new TopK(k);
          for (int u = next.getAndIncrement(); u < users.size(); u = next.getAndIncrement()) {
            String user = users.get(u);
            int[] trained = train.itemsOf(user);
            int[] targets = heldOut.targetsOf(user);
            if (targets.length == 0) {
              continue; // nothing rankable: a miss, whatever the ranking
            }
            ranker.score(user, scores);
            if (unseenLast) {
              for (int item = 0; item < n; item++) {
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
          }
        };
    runOn(Math.min(threads, Math.max(1, users.size())), worker);
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

  private static void runOn(int threads, Runnable worker) {
    if (threads == 1) {
      worker.run();
      return;
    }
    List<Thread> started = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(worker, "eval-" + t);
      thread.setUncaughtExceptionHandler(
          (th, e) -> {
            synchronized (failures) {
              failures.add(e);
            }
          });
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while evaluating", e);
      }
    }
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(first);
    }
  }
}
