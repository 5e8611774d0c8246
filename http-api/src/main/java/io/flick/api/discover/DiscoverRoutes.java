package io.flick.api.discover;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.media.MediaSigner;
import io.flick.api.sound.SoundRoutes;
import io.flick.api.video.ReadyVideoCache;
import io.flick.api.video.VideoView;
import io.flick.api.video.ViewerState;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.feed.rank.Recommender.TrendingTerm;
import io.flick.user.AccountRules;
import io.flick.user.AccountService;
import io.flick.user.Profile;
import io.flick.user.SocialService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Discovery beside search: {@code GET /trending/hashtags?region=} and {@code /trending/sounds} (the
 * trending videos' decayed regional counts summed per hashtag or sound, each with a sample of its
 * hottest videos), and {@code GET /users/suggested} (creators to follow: the creators most followed
 * by the people they follow, then the creators of videos they finished (the feed's profile), then
 * the region's popular creators, all a newcomer gets).
 */
public final class DiscoverRoutes extends AllDirectives {
  private static final int TRENDING = 20;
  private static final int SAMPLE = 3;
  private static final int SUGGESTED = 10;
  // bounded fan-out: how many followed users' follows are looked at
  private static final int FOLLOWED_SCANNED = 50;
  private static final int THEIR_FOLLOWS = 100;
  // half a completed view (decayed): at least one finished (or liked, shared) video of theirs
  static final double FINISHED_SCORE = 0.5;

  record TrendingPage(String region, List<TrendingItem> items) {}

  /** A trending hashtag or sound; {@code title} is a sound's ("original sound – @handle"). */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record TrendingItem(String key, String title, double score, List<VideoView> videos) {}

  record SuggestedPage(List<Suggested> items) {}

  record Suggested(Object user, String reason, int followedBy) {}

  private final ForYouBuilder forYou;
  private final ReadyVideoCache readyVideos;
  private final AccountService accounts;
  private final SocialService social;
  private final Function<String, CompletionStage<Optional<Object>>> userObject;
  private final SoundRoutes sounds;
  private final MediaSigner signer;
  private final String publicUrl;
  private final AuthDirectives auth;
  private final ViewerState viewerState;

  public DiscoverRoutes(
      ForYouBuilder forYou,
      ReadyVideoCache readyVideos,
      AccountService accounts,
      SocialService social,
      Function<String, CompletionStage<Optional<Object>>> userObject,
      SoundRoutes sounds,
      MediaSigner signer,
      String publicUrl,
      AuthDirectives auth,
      ViewerState viewerState) {
    this.forYou = forYou;
    this.readyVideos = readyVideos;
    this.accounts = accounts;
    this.social = social;
    this.userObject = userObject;
    this.sounds = sounds;
    this.signer = signer;
    this.publicUrl = publicUrl;
    this.auth = auth;
    this.viewerState = viewerState;
  }

  public Route routes() {
    return concat(
        pathPrefix(
            "trending",
            () ->
                concat(
                    path("hashtags", () -> trending(false)), path("sounds", () -> trending(true)))),
        path(
            PathMatchers.segment("users").slash("suggested"),
            () ->
                get(
                    () ->
                        auth.authenticated(
                            caller ->
                                onSuccess(
                                    suggested(caller),
                                    page -> complete(StatusCodes.OK, page, Json.marshaller()))))));
  }

  private Route trending(boolean sounds) {
    return get(
        () ->
            auth.optionallyAuthenticated(
                caller ->
                    parameterOptional(
                        "region",
                        region -> {
                          String r = region(region);
                          return onSuccess(
                              trendingPage(caller, r, sounds),
                              page -> complete(StatusCodes.OK, page, Json.marshaller()));
                        })));
  }

  private static String region(Optional<String> region) {
    Optional<String> given = region.map(r -> r.strip().toUpperCase(Locale.ROOT));
    given
        .flatMap(AccountRules::regionProblem)
        .ifPresent(
            problem -> {
              throw ApiException.badRequest(problem);
            });
    return given.filter(r -> !r.isEmpty()).orElse(null);
  }

  private CompletionStage<TrendingPage> trendingPage(
      Optional<Caller> caller, String region, boolean ofSounds) {
    List<TrendingTerm> terms = forYou.trendingTerms(region, ofSounds, TRENDING, SAMPLE);
    List<String> ids = terms.stream().flatMap(t -> t.videoIds().stream()).distinct().toList();
    CompletionStage<Map<String, String>> titles =
        ofSounds ? soundTitles(terms) : CompletableFuture.completedFuture(Map.of());
    return readyVideos
        .ready(ids)
        .thenApply(list -> list.stream().map(v -> VideoView.of(v, signer, publicUrl)).toList())
        .thenCompose(sounds::withSounds)
        .thenCompose(views -> viewerState.annotate(caller, views))
        .thenCombine(
            titles,
            (views, titleOf) -> {
              Map<String, VideoView> byId = new HashMap<>();
              views.forEach(v -> byId.put(v.id(), v));
              List<TrendingItem> items = new ArrayList<>();
              for (TrendingTerm t : terms) {
                List<VideoView> sample =
                    t.videoIds().stream().map(byId::get).filter(v -> v != null).toList();
                if (!sample.isEmpty()) {
                  items.add(new TrendingItem(t.key(), titleOf.get(t.key()), t.score(), sample));
                }
              }
              return new TrendingPage(region, items);
            });
  }

  /** The trending sounds' titles (a sound not catalogued yet has none: the client shows its id). */
  private CompletionStage<Map<String, String>> soundTitles(List<TrendingTerm> terms) {
    Map<String, String> titles = new java.util.concurrent.ConcurrentHashMap<>();
    CompletableFuture<?>[] lookups =
        terms.stream()
            .map(
                t ->
                    sounds
                        .ref(Optional.of(t.key()))
                        .thenAccept(ref -> ref.ifPresent(r -> titles.put(t.key(), r.title())))
                        // a title is a nicety: without it the sound still trends
                        .exceptionally(e -> null)
                        .toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(lookups).thenApply(done -> titles);
  }

  private CompletionStage<SuggestedPage> suggested(Caller caller) {
    String me = caller.userId();
    CompletionStage<List<String>> finished =
        social
            .profile(me)
            .thenApply(DiscoverRoutes::creatorsOfFinishedVideos)
            // the profile is a bonus: without it the other reasons still answer
            .exceptionally(e -> List.of());
    return social
        .social(me)
        .thenCompose(
            mine -> {
              Set<String> following = mine.following();
              CompletionStage<Map<String, Integer>> friendsOfFriends =
                  following.isEmpty()
                      ? CompletableFuture.completedFuture(Map.of())
                      : followedByFollowed(me, following);
              return friendsOfFriends.thenCompose(
                  counts ->
                      finished.thenCompose(
                          watched ->
                              accounts
                                  .account(me)
                                  .thenCompose(
                                      account ->
                                          forYou.popularCreators(
                                              account.map(a -> a.region()).orElse(null), 50))
                                  .thenCompose(
                                      popular -> users(me, following, counts, watched, popular))));
            });
  }

  /**
   * The creators of videos the user finished, from the profile the feed learns from their views (a
   * completed view adds 1 to its creator's decayed score, a partial one at most half of that, a
   * fast skip takes some away): those at {@link #FINISHED_SCORE} or more, strongest first.
   */
  static List<String> creatorsOfFinishedVideos(Profile profile) {
    return profile.creators().entrySet().stream()
        .filter(e -> e.getValue() >= FINISHED_SCORE)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Creators followed by the people {@code me} follows, with how many of them follow each. */
  private CompletionStage<Map<String, Integer>> followedByFollowed(
      String me, Set<String> following) {
    List<CompletableFuture<List<String>>> lists =
        following.stream()
            .limit(FOLLOWED_SCANNED)
            .map(
                f ->
                    social
                        .following(f, Optional.empty(), THEIR_FOLLOWS)
                        .thenApply(p -> p.items())
                        .exceptionally(e -> List.of())
                        .toCompletableFuture())
            .toList();
    return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, Integer> counts = new HashMap<>();
              for (CompletableFuture<List<String>> list : lists) {
                for (String creator : list.join()) {
                  if (!creator.equals(me) && !following.contains(creator)) {
                    counts.merge(creator, 1, Integer::sum);
                  }
                }
              }
              return counts;
            });
  }

  private CompletionStage<SuggestedPage> users(
      String me,
      Set<String> following,
      Map<String, Integer> counts,
      List<String> watched,
      List<String> popular) {
    Map<String, String> reasons = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> reasons.putIfAbsent(e.getKey(), "followed-by-people-you-follow"));
    for (String creator : watched) {
      if (!creator.equals(me) && !following.contains(creator)) {
        reasons.putIfAbsent(creator, "creator-of-videos-you-finished");
      }
    }
    for (String creator : popular) {
      if (!creator.equals(me) && !following.contains(creator)) {
        reasons.putIfAbsent(creator, "popular-in-your-region");
      }
    }
    List<String> ids = reasons.keySet().stream().limit(SUGGESTED).toList();
    List<CompletableFuture<Optional<Object>>> each =
        ids.stream().map(id -> userObject.apply(id).toCompletableFuture()).toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<Suggested> items = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                each.get(i)
                    .join()
                    .ifPresent(
                        user ->
                            items.add(
                                new Suggested(user, reasons.get(id), counts.getOrDefault(id, 0))));
              }
              return new SuggestedPage(items);
            });
  }
}
