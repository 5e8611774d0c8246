package io.flick.feed.foryou;

import io.flick.feed.rank.Candidates;
import io.flick.feed.rank.FeedMixer;
import io.flick.feed.rank.Recommender;
import io.flick.feed.rank.Scored;
import io.flick.feed.rank.UserContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One For You build, step by step: candidates → rank → mix, or the fallback that mixes in trending
 * order when ranking is unavailable. Pure and synchronous: the {@link ForYouBuilder} runs it on the
 * ranking dispatcher inside its circuit breaker; benchmarks time it directly.
 */
public class ForYouPlanner {
  private final Recommender recommender;
  private final FeedMixer mixer;
  private final int candidates;

  public ForYouPlanner(Recommender recommender, FeedMixer.Rules rules, int candidates) {
    this.recommender = recommender;
    this.mixer = new FeedMixer(rules, recommender::info);
    this.candidates = candidates;
  }

  public Candidates candidates(UserContext user, Predicate<String> seen) {
    return recommender.candidates(user, candidates, seen);
  }

  /** Ranks personal and exploration candidates with the learned ranker, then mixes. */
  public List<String> rankAndMix(
      UserContext user,
      Candidates candidates,
      Predicate<String> seen,
      String previousVideo,
      int size) {
    return mixer.mix(
        ids(recommender.rank(user, candidates.personalised())),
        ids(recommender.rank(user, candidates.exploration())),
        candidates.trending(),
        size,
        seen,
        previousVideo);
  }

  /** Without the ranker: trending first, then the personal candidates as generated. */
  public List<String> fallback(
      Candidates candidates, Predicate<String> seen, String previousVideo, int size) {
    List<String> byHeat = new ArrayList<>(candidates.trending());
    byHeat.addAll(candidates.personalised());
    return mixer.mix(byHeat, candidates.exploration(), List.of(), size, seen, previousVideo);
  }

  /** A whole build (candidates → rank → mix). */
  public List<String> build(
      UserContext user, Predicate<String> seen, String previousVideo, int size) {
    return rankAndMix(user, candidates(user, seen), seen, previousVideo, size);
  }

  private static List<String> ids(List<Scored> scored) {
    return scored.stream().map(Scored::videoId).toList();
  }
}
