package io.flick.feed.eval;

/** What an evaluation ranks with: a score for every catalog item, for one user. */
@FunctionalInterface
public interface Ranker {
  /**
   * Writes {@code out[i]}, the score of catalog item {@code i} for the user (higher ranks first;
   * NaN ranks last). Every entry must be written. May be called from several threads at once, each
   * with its own {@code out}.
   */
  void score(String userId, double[] out);

  /**
   * Whether it can score catalogue items no training interaction has (videos known only by their
   * content vector); if not, the {@link Evaluator} ranks those last.
   */
  default boolean ranksItemsBeyondTrain() {
    return false;
  }
}
