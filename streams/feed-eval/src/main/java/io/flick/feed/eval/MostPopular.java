package io.flick.feed.eval;

/**
 * The baseline: every user gets the same ranking, by popularity = the summed positive weight an
 * item got in training (skips add nothing). Masking and tie-breaking are the evaluation's, as for
 * any {@link Ranker}.
 */
public final class MostPopular implements Ranker {
  private final double[] popularity;

  public MostPopular(TrainingSet train) {
    popularity = new double[train.catalog().size()];
    for (Interaction i : train.inTimeOrder()) {
      if (i.positive()) {
        popularity[train.catalog().indexOf(i.itemId())] += i.weight();
      }
    }
  }

  @Override
  public void score(String userId, double[] out) {
    System.arraycopy(popularity, 0, out, 0, popularity.length);
  }
}
