package io.flick.feed.rank;

import java.util.Arrays;

/**
 * The learned ranker: per-coordinate FTRL-Proximal logistic regression (McMahan et al., 2013),
 * trained one example at a time as interactions stream in, over dense features and hashed sparse
 * ids (item, creator, region × item) in one weight space, as Monolith trains its sparse tables
 * online. Three heads share the features and predict a positive view (watched, not skipped), a
 * like-or-stronger and a share; the score is their weighted sum.
 *
 * <p>Not thread-safe: the {@link Recommender} guards it. {@link #weights()} is an immutable view
 * scorers use without locking.
 */
final class OnlineRanker {
  // 2^14 hashed slots keep one model version under Kafka's default 1 MB message size
  static final int HASH_BITS = 14;
  static final int SIZE = Features.DENSE + (1 << HASH_BITS);
  static final String[] HEADS = {"engage", "like", "share"};
  private static final double[] HEAD_WEIGHT = {1.0, 0.5, 0.5};
  private static final double BETA = 1.0;
  private static final double L2 = 1.0;

  private final double alpha;
  private final double l1;
  private final float[][] z = new float[HEADS.length][SIZE];
  private final float[][] n = new float[HEADS.length][SIZE];
  private long examples;
  private long examplesAtWeights = -1;
  private Weights weights;

  OnlineRanker(double alpha, double l1) {
    this.alpha = alpha;
    this.l1 = l1;
  }

  long examples() {
    return examples;
  }

  /** Learns from one example; {@code weight} as in {@link Engagement} (≤ 0: a negative). */
  void train(double[] dense, int[] hashed, double weight) {
    boolean[] labels = {weight > 0, weight >= Engagement.LIKE, weight >= Engagement.SHARE};
    // strong signals count more in the engagement head, as several positives would
    double importance = weight > 0 ? Math.min(weight, 3.0) : 1.0;
    for (int h = 0; h < HEADS.length; h++) {
      double p = sigmoid(margin(h, dense, hashed));
      double g = (p - (labels[h] ? 1 : 0)) * (h == 0 ? importance : 1.0);
      for (int i = 0; i < dense.length; i++) {
        if (dense[i] != 0) {
          update(h, i, g * dense[i]);
        }
      }
      for (int index : hashed) {
        update(h, index, g);
      }
    }
    examples++;
  }

  private void update(int head, int i, double g) {
    float[] zh = z[head];
    float[] nh = n[head];
    double w = weight(zh[i], nh[i]);
    double sigma = (Math.sqrt(nh[i] + g * g) - Math.sqrt(nh[i])) / alpha;
    zh[i] += (float) (g - sigma * w);
    nh[i] += (float) (g * g);
  }

  private double margin(int head, double[] dense, int[] hashed) {
    double m = 0;
    for (int i = 0; i < dense.length; i++) {
      if (dense[i] != 0) {
        m += weight(z[head][i], n[head][i]) * dense[i];
      }
    }
    for (int index : hashed) {
      m += weight(z[head][index], n[head][index]);
    }
    return m;
  }

  private double weight(float zi, float ni) {
    if (Math.abs(zi) <= l1) {
      return 0;
    }
    return -(zi - Math.signum(zi) * l1) / ((BETA + Math.sqrt(ni)) / alpha + L2);
  }

  /**
   * The current weights, recomputed only when trained since the last call. Synchronized: scorers
   * call it concurrently under the recommender's read lock.
   */
  synchronized Weights weights() {
    if (weights == null || examplesAtWeights != examples) {
      float[][] w = new float[HEADS.length][SIZE];
      for (int h = 0; h < HEADS.length; h++) {
        for (int i = 0; i < SIZE; i++) {
          w[h][i] = (float) weight(z[h][i], n[h][i]);
        }
      }
      weights = new Weights(w);
      examplesAtWeights = examples;
    }
    return weights;
  }

  /** The training state (z, n per head) for a model version others load. */
  float[][][] state() {
    float[][][] state = new float[HEADS.length][2][];
    for (int h = 0; h < HEADS.length; h++) {
      state[h][0] = z[h].clone();
      state[h][1] = n[h].clone();
    }
    return state;
  }

  /**
   * Whether a training state has this ranker's shape (a version from before a feature change has
   * not).
   */
  static boolean fits(float[][][] state) {
    if (state.length != HEADS.length) {
      return false;
    }
    for (float[][] head : state) {
      if (head.length != 2 || head[0].length != SIZE || head[1].length != SIZE) {
        return false;
      }
    }
    return true;
  }

  void load(float[][][] state, long trainedExamples) {
    for (int h = 0; h < HEADS.length; h++) {
      Arrays.fill(z[h], 0f);
      Arrays.fill(n[h], 0f);
      System.arraycopy(state[h][0], 0, z[h], 0, Math.min(SIZE, state[h][0].length));
      System.arraycopy(state[h][1], 0, n[h], 0, Math.min(SIZE, state[h][1].length));
    }
    examples = trainedExamples;
    examplesAtWeights = -1;
  }

  static double sigmoid(double m) {
    return 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, m))));
  }

  /** Immutable weights: the score of one example. */
  static final class Weights {
    private final float[][] w;

    private Weights(float[][] w) {
      this.w = w;
    }

    double score(double[] dense, int[] hashed) {
      double score = 0;
      for (int h = 0; h < HEADS.length; h++) {
        double m = 0;
        for (int i = 0; i < dense.length; i++) {
          m += w[h][i] * dense[i];
        }
        for (int index : hashed) {
          m += w[h][index];
        }
        score += HEAD_WEIGHT[h] * sigmoid(m);
      }
      return score;
    }

    /** The predicted probability of one head ({@link #HEADS}) for one example. */
    double probability(int head, double[] dense, int[] hashed) {
      double m = 0;
      for (int i = 0; i < dense.length; i++) {
        m += w[head][i] * dense[i];
      }
      for (int index : hashed) {
        m += w[head][index];
      }
      return sigmoid(m);
    }
  }
}
