package io.flick.api.feed;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.Paging;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.media.MediaSigner;
import io.flick.api.sound.SoundRoutes;
import io.flick.api.video.ReadyVideoCache;
import io.flick.api.video.VideoView;
import io.flick.api.video.ViewerState;
import io.flick.creator.CreatorService;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.user.AccountRules;
import io.flick.user.SocialService;
import io.flick.video.Hashtags;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Status;
import io.flick.video.index.VideoIndex;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The feeds: For You (personal from the caller's UserActor; anonymous callers get the regional
 * cold-start feed), Trending, hashtag, sound and Following (newest videos of followed creators).
 * Items are READY videos only, as API.md says. Hashtag, sound and Following cursors page newest
 * first; trending and anonymous For You cursors are positions in the current list; the personal For
 * You feed needs no cursor (the UserActor remembers what it served) but returns one to go on.
 */
public final class FeedRoutes extends AllDirectives {
  private static final int MAX_LIMIT = 50;
  // Following is assembled from each followed creator's newest videos: bounded fan-out per page
  private static final int MAX_FOLLOWED = 100;
  private static final int PER_CREATOR = 20;

  record FeedPage(List<VideoView> items, String next) {}

  private final VideoIndex index;
  private final VideoService videos;
  private final SocialService social;
  private final ViewerState viewerState;
  private final CreatorService creators;
  private final MediaSigner signer;
  private final String publicUrl;
  private final AuthDirectives auth;
  private final ForYouBuilder forYou;
  private final ReadyVideoCache readyVideos;
  private final SoundRoutes sounds;
  private final Paging paging = new Paging(MAX_LIMIT);

  public FeedRoutes(
      VideoIndex index,
      VideoService videos,
      SocialService social,
      CreatorService creators,
      MediaSigner signer,
      String publicUrl,
      AuthDirectives auth,
      ForYouBuilder forYou,
      ReadyVideoCache readyVideos,
      ViewerState viewerState,
      SoundRoutes sounds) {
    this.sounds = sounds;
    this.index = index;
    this.videos = videos;
    this.social = social;
    this.creators = creators;
    this.signer = signer;
    this.publicUrl = publicUrl;
    this.auth = auth;
    this.forYou = forYou;
    this.readyVideos = readyVideos;
    this.viewerState = viewerState;
  }

  public Route routes() {
    return concat(
        indexFeed(
            "hashtags", (tag, cursor, limit) -> index.byHashtag(canonicalTag(tag), cursor, limit)),
        indexFeed("sounds", index::bySound),
        pathPrefix(
            "feed",
            () ->
                concat(
                    path(
                        "following",
                        () ->
                            get(
                                () ->
                                    auth.authenticated(
                                        caller ->
                                            paging.paged(
                                                (cursor, limit) ->
                                                    respond(
                                                        Optional.of(caller),
                                                        following(
                                                            caller.userId(), cursor, limit)))))),
                    path(
                        "foryou",
                        () ->
                            get(
                                () ->
                                    auth.optionallyAuthenticated(
                                        caller ->
                                            parameterOptional(
                                                "region",
                                                region ->
                                                    paging.paged(
                                                        (cursor, limit) ->
                                                            respond(
                                                                caller,
                                                                caller.isPresent()
                                                                    ? personal(
                                                                        caller.get().userId(),
                                                                        limit)
                                                                    : anonymous(
                                                                        region(region),
                                                                        cursor,
                                                                        limit))))))),
                    path(
                        "trending",
                        () ->
                            get(
                                () ->
                                    auth.optionallyAuthenticated(
                                        caller ->
                                            parameterOptional(
                                                "region",
                                                region ->
                                                    paging.paged(
                                                        (cursor, limit) ->
                                                            respond(
                                                                caller,
                                                                trending(
                                                                    region(region),
                                                                    cursor,
                                                                    limit))))))))));
  }

  /** One page of an index: {@code hashtags} or {@code sounds}. */
  private interface IndexPage {
    CompletionStage<VideoIndex.Page> page(String key, Optional<String> cursor, int limit);
  }

  /** {@code GET /<prefix>/{key}/videos}: an index feed, newest first, READY videos only. */
  private Route indexFeed(String prefix, IndexPage pages) {
    return pathPrefix(
        prefix,
        () ->
            pathPrefix(
                key ->
                    path(
                        "videos",
                        () ->
                            get(
                                () ->
                                    auth.optionallyAuthenticated(
                                        caller ->
                                            paging.paged(
                                                (cursor, limit) ->
                                                    respond(
                                                        caller,
                                                        pages
                                                            .page(key, cursor, limit)
                                                            .thenCompose(this::ready))))))));
  }

  private static String region(Optional<String> region) {
    Optional<String> given = region.map(r -> r.strip().toUpperCase(java.util.Locale.ROOT));
    given
        .flatMap(AccountRules::regionProblem)
        .ifPresent(
            problem -> {
              throw ApiException.badRequest(problem);
            });
    return given.filter(r -> !r.isEmpty()).orElse(null);
  }

  private static int position(Optional<String> cursor) {
    try {
      int position = cursor.map(Integer::parseInt).orElse(0);
      if (position < 0) {
        throw new NumberFormatException();
      }
      return position;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("not a feed cursor");
    }
  }

  /** From the caller's UserActor: its ready queue, refilled in the background. */
  private CompletionStage<FeedPage> personal(String userId, int limit) {
    return social
        .forYouPage(userId, limit)
        .thenCompose(
            page ->
                views(page.videoIds())
                    // endless while anything is left: the actor remembers what it served
                    .thenApply(
                        items ->
                            new FeedPage(
                                // the actor said which it likes: no second ask for that
                                items.stream()
                                    .map(
                                        v ->
                                            v.withViewer(
                                                new VideoView.Viewer(
                                                    page.liked().contains(v.id()))))
                                    .toList(),
                                page.videoIds().isEmpty() ? null : "more")));
  }

  private CompletionStage<FeedPage> anonymous(String region, Optional<String> cursor, int limit) {
    int from = position(cursor);
    return forYou.coldStart(region).thenCompose(ids -> slice(ids, from, limit));
  }

  private CompletionStage<FeedPage> trending(String region, Optional<String> cursor, int limit) {
    int from = position(cursor);
    return forYou.trending(region, from + limit + 1).thenCompose(ids -> slice(ids, from, limit));
  }

  private CompletionStage<FeedPage> slice(List<String> ids, int from, int limit) {
    List<String> page = ids.subList(Math.min(from, ids.size()), Math.min(from + limit, ids.size()));
    String next = from + limit < ids.size() ? String.valueOf(from + limit) : null;
    return views(page).thenApply(items -> new FeedPage(items, next));
  }

  /** For You and trending items: READY and not withdrawn, from the node's short-lived cache. */
  private CompletionStage<List<VideoView>> views(List<String> ids) {
    return readyVideos
        .ready(ids.stream().filter(forYou::available).toList())
        .thenApply(list -> list.stream().map(v -> VideoView.of(v, signer, publicUrl)).toList());
  }

  private static String canonicalTag(String tag) {
    try {
      return Hashtags.normalise(tag);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /**
   * The page, each video with its sound's title and the caller's own relation to it when there is a
   * caller.
   */
  private Route respond(Optional<Caller> caller, CompletionStage<FeedPage> page) {
    return onSuccess(
        page.thenCompose(
            p ->
                sounds
                    .withSounds(p.items())
                    .thenCompose(items -> viewerState.annotate(caller, items))
                    .thenApply(items -> new FeedPage(items, p.next()))),
        p -> complete(StatusCodes.OK, p, Json.marshaller()));
  }

  private CompletionStage<FeedPage> ready(VideoIndex.Page page) {
    return videos
        .getAll(page.ids())
        .thenApply(
            list ->
                new FeedPage(
                    list.stream()
                        .filter(v -> v.status() == Status.READY)
                        .map(v -> VideoView.of(v, signer, publicUrl))
                        .toList(),
                    page.next().orElse(null)));
  }

  /** Newest first across followed creators; cursor "epochMillis:videoId" of the last item. */
  private CompletionStage<FeedPage> following(String userId, Optional<String> cursor, int limit) {
    Optional<Instant> before;
    Optional<String> beforeId;
    try {
      before =
          cursor.map(c -> Instant.ofEpochMilli(Long.parseLong(c.substring(0, c.indexOf(':')))));
      beforeId = cursor.map(c -> c.substring(c.indexOf(':') + 1));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ApiException.badRequest("not a feed cursor"));
    }
    return social
        .following(userId, Optional.empty(), MAX_FOLLOWED)
        .thenCompose(
            followed -> {
              List<CompletableFuture<List<String>>> pages =
                  followed.items().stream()
                      .map(
                          creator ->
                              creators
                                  .videos(creator, Optional.empty(), PER_CREATOR)
                                  .thenApply(p -> p.items())
                                  .toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                  .thenCompose(
                      done ->
                          videos.getAll(pages.stream().flatMap(p -> p.join().stream()).toList()));
            })
        .thenApply(
            all -> {
              Comparator<VideoSummary> newestFirst =
                  Comparator.comparing(VideoSummary::createdAt)
                      .thenComparing(VideoSummary::id)
                      .reversed();
              List<VideoSummary> eligible =
                  all.stream()
                      .filter(v -> v.status() == Status.READY)
                      .filter(
                          v ->
                              before.isEmpty()
                                  || v.createdAt().isBefore(before.get())
                                  || (v.createdAt().equals(before.get())
                                      && v.id().compareTo(beforeId.get()) < 0))
                      .sorted(newestFirst)
                      .toList();
              List<VideoSummary> page = eligible.subList(0, Math.min(limit, eligible.size()));
              String next =
                  eligible.size() > limit
                      ? page.get(page.size() - 1).createdAt().toEpochMilli()
                          + ":"
                          + page.get(page.size() - 1).id()
                      : null;
              return new FeedPage(
                  page.stream().map(v -> VideoView.of(v, signer, publicUrl)).toList(), next);
            });
  }
}
