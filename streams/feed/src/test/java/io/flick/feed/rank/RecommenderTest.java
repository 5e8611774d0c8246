package io.flick.feed.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  private static final long HOUR = 3_600_000L;

  /**
   * Two interest groups: users 0..99 watch "a" videos, 100..199 watch "b" videos; "b" videos are
   * three times as popular overall. Videos are named by group so the test can tell them apart.
   */
  private static Recommender trainedOnTwoGroups() {
    Recommender model = new Recommender(RecommenderParams.defaults());
    Random random = new Random(7);
    long t = 1_000_000L;
    for (int round = 0; round < 12; round++) {
      for (int u = 0; u < 200; u++) {
        boolean groupA = u < 100;
        int plays = groupA ? 1 : 3;
        for (int p = 0; p < plays; p++) {
          String video = (groupA ? "a" : "b") + random.nextInt(20);
          model.learn(
              new Engagement(
                  "u" + u,
                  video,
                  (groupA ? "creatorA" : "creatorB") + random.nextInt(3),
                  List.of(groupA ? "cats" : "cars"),
                  null,
                  groupA ? "DE" : "US",
                  Engagement.COMPLETE,
                  t += 1000));
        }
      }
    }
    return model;
  }

  @Test
  void ranksWhatTheViewersGroupWatchesAboveWhatIsMerelyPopular() {
    Recommender model = trainedOnTwoGroups();
    UserContext viewer = model.context("u3");
    List<Scored> ranked =
        model.rank(viewer, List.of("a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4"));
    List<String> top4 = ranked.subList(0, 4).stream().map(Scored::videoId).toList();
    assertTrue(top4.stream().allMatch(v -> v.startsWith("a")), () -> "ranked: " + ranked);
  }

  @Test
  void aColdViewerGetsWhatIsPopular() {
    Recommender model = trainedOnTwoGroups();
    List<Scored> ranked = model.rank(UserContext.anonymous(null), List.of("a1", "a2", "b1", "b2"));
    assertTrue(ranked.get(0).videoId().startsWith("b"), () -> "ranked: " + ranked);
    assertEquals("b", model.trending(null, 1, id -> false).get(0).substring(0, 1));
    assertEquals("a", model.trending("DE", 1, id -> false).get(0).substring(0, 1));
  }

  @Test
  void trendingHashtagsFollowTheRegionsDecayedCountsAndSkipWithdrawnVideos() {
    Recommender model = trainedOnTwoGroups();
    // cars (group B, three plays each) lead globally, cats in DE where only group A watches
    assertEquals("cars", model.trendingTerms(null, false, 5, 3).get(0).key());
    List<Recommender.TrendingTerm> de = model.trendingTerms("DE", false, 5, 3);
    assertEquals("cats", de.get(0).key());
    assertTrue(de.get(0).score() > 0);
    assertEquals(3, de.get(0).videoIds().size());
    assertTrue(de.get(0).videoIds().stream().allMatch(v -> v.startsWith("a")));
    // a withdrawn video's plays count for nothing and it is never the sample
    String sampled = de.get(0).videoIds().get(0);
    model.withdraw(sampled);
    assertFalse(model.trendingTerms("DE", false, 5, 3).get(0).videoIds().contains(sampled));
    // no video here has a sound
    assertTrue(model.trendingTerms(null, true, 5, 3).isEmpty());
  }

  @Test
  void candidatesLeaveOutSeenAndWithdrawnVideos() {
    Recommender model = trainedOnTwoGroups();
    model.withdraw("a5");
    Set<String> seen = Set.of("a6", "a7");
    Candidates candidates = model.candidates(model.context("u3"), 100, seen::contains);
    List<String> all = new ArrayList<>(candidates.personalised());
    all.addAll(candidates.exploration());
    all.addAll(candidates.trending());
    assertFalse(all.contains("a5"));
    assertFalse(all.contains("a6"));
    assertFalse(all.contains("a7"));
    assertFalse(all.isEmpty());
    assertFalse(model.isAvailable("a5"));
  }

  @Test
  void freshVideosWithFewViewersAreExplorationCandidates() {
    Recommender model = trainedOnTwoGroups();
    long now = System.currentTimeMillis();
    model.publish(new VideoInfo("new1", "newcomer", List.of("cats"), null, now));
    Candidates candidates = model.candidates(UserContext.anonymous(null), 50, id -> false);
    assertTrue(candidates.exploration().contains("new1"), () -> candidates.toString());
  }

  @Test
  void aModelVersionInstalledElsewhereScoresTheSame() {
    Recommender trained = trainedOnTwoGroups();
    RankerModel model = trained.snapshotModel(1_000);
    Recommender serving = new Recommender(RecommenderParams.defaults());
    serving.setTraining(false);
    // the serving side learns the same indexes but not the ranker
    Recommender again = trainedOnTwoGroupsInto(serving);
    assertTrue(again.install(model));
    assertFalse(again.install(model), "the same version is not installed twice");
    UserContext viewer = trained.context("u150");
    List<String> videos = List.of("a1", "b1", "b2", "a2");
    assertEquals(trained.rank(viewer, videos), again.rank(viewer, videos));
    assertEquals(model.version(), again.modelVersion());
  }

  private static Recommender trainedOnTwoGroupsInto(Recommender model) {
    Recommender source = trainedOnTwoGroups();
    // replay the same engagements: same seed, same order
    Random random = new Random(7);
    long t = 1_000_000L;
    for (int round = 0; round < 12; round++) {
      for (int u = 0; u < 200; u++) {
        boolean groupA = u < 100;
        int plays = groupA ? 1 : 3;
        for (int p = 0; p < plays; p++) {
          String video = (groupA ? "a" : "b") + random.nextInt(20);
          model.learn(
              new Engagement(
                  "u" + u,
                  video,
                  (groupA ? "creatorA" : "creatorB") + random.nextInt(3),
                  List.of(groupA ? "cats" : "cars"),
                  null,
                  groupA ? "DE" : "US",
                  Engagement.COMPLETE,
                  t += 1000));
        }
      }
    }
    assertEquals(source.itemCount(), model.itemCount());
    return model;
  }

  @Test
  void skipsTeachTheViewersProfileToAvoidACreator() {
    Recommender model = trainedOnTwoGroups();
    model.learn(
        new Engagement(
            "newbie", "a1", "creatorA1", List.of("cats"), null, "DE", Engagement.LIKE, 2 * HOUR));
    for (int i = 0; i < 3; i++) {
      model.learn(
          new Engagement(
              "newbie",
              "a" + i,
              "creatorA0",
              List.of("cats"),
              null,
              "DE",
              Engagement.SKIP,
              2 * HOUR));
    }
    UserContext newbie = model.context("newbie");
    assertTrue(newbie.creators().get("creatorA0") < 0, () -> newbie.toString());
    assertTrue(newbie.creators().get("creatorA1") > 0, () -> newbie.toString());
    assertEquals(List.of("a1"), newbie.recentVideos(), "skips are not history");
  }
}
