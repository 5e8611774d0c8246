package io.flick.feed.rank;

/**
 * One version of the learned ranker: its FTRL training state per head ({@code state[head][0]} = z,
 * {@code [1]} = n), so whoever loads it can both score with it and keep training from it.
 */
public record RankerModel(long version, long trainedExamples, long createdAtMs, float[][][] state) {

  public static String[] heads() {
    return OnlineRanker.HEADS.clone();
  }

  public static int size() {
    return OnlineRanker.SIZE;
  }
}
