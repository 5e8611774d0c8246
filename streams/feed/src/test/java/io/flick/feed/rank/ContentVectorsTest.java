package io.flick.feed.rank;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentVectorsTest {
  @Test
  void aVideoNoOneWatchedIsReachableThroughItsContentVector() {
    Recommender model = new Recommender(RecommenderParams.defaults());
    long t = 1_000_000L;
    for (int v = 0; v < 200; v++) {
      boolean cats = v % 2 == 0;
      model.publish(
          new VideoInfo(
              "v" + v,
              "c" + v,
              List.of(),
              null,
              0,
              !cats
                  ? new float[] {-1, 1}
                  : v <= 2 ? new float[] {1, 0.3f} : new float[] {1, -0.5f}));
    }
    // the new cat video: published with its vector, never engaged with
    model.publish(new VideoInfo("fresh-cat", "c-new", List.of(), null, 0, new float[] {2, 0.6f}));
    // lots of users watch the dog videos; the viewer watched two cat videos
    for (int u = 0; u < 50; u++) {
      for (int k = 1; k < 30; k += 2) {
        model.learn(Engagement.of("u" + u, "v" + k, Engagement.COMPLETE, t += 1000));
      }
    }
    model.learn(Engagement.of("viewer", "v0", Engagement.LIKE, t += 1000));
    model.learn(Engagement.of("viewer", "v2", Engagement.LIKE, t += 1000));

    Candidates candidates = model.candidates(model.context("viewer"), 40, id -> false);
    assertTrue(
        candidates.personalised().contains("fresh-cat"),
        () -> "candidates: " + candidates.personalised());
    double[] scores = new double[2];
    model.scoreAll(model.context("viewer"), List.of("fresh-cat", "v1"), scores);
    assertTrue(Double.isFinite(scores[0]));
  }

  @Test
  void aModelOfAnotherFeatureLayoutIsNotInstalled() {
    Recommender model = new Recommender(RecommenderParams.defaults());
    float[][][] old = new float[RankerModel.heads().length][2][RankerModel.size() - 2];
    assertFalse(model.install(new RankerModel(5, 10, 0, old)));
    float[][][] fits = new float[RankerModel.heads().length][2][RankerModel.size()];
    assertTrue(model.install(new RankerModel(5, 10, 0, fits)));
  }
}
