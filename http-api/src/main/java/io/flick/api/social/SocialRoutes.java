package io.flick.api.social;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.Paging;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.media.MediaSigner;
import io.flick.api.sound.SoundRoutes;
import io.flick.api.video.ReadyVideoCache;
import io.flick.api.video.VideoView;
import io.flick.common.Ids;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.creator.CreatorService;
import io.flick.user.Account;
import io.flick.user.AccountService;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Status;
import io.flick.video.comments.CommentService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Profiles, follows, likes and comments (flow 4; views and shares are {@link InteractionRoutes}).
 * User-side facts go to the caller's UserActor, comments to their CommentActor; every interaction
 * also reaches the {@code interactions} topic, from which the VideoActors' write-back counters and
 * the profiles learn (comments through a projection of their journal, not from here).
 */
public final class SocialRoutes extends AllDirectives {
  private static final int MAX_LIMIT = 100;

  /**
   * {@code id}, optional: the comment's id as the client chose it (a time-based UUID of about now),
   * so that a retry of a post whose answer was lost answers the same comment, never a second one.
   */
  record CommentRequest(String text, String id) {}

  record UserRef(String id, String handle) {}

  /** {@code displayName} is null until the user sets one (clients show the handle then). */
  record ProfileView(
      String id,
      String handle,
      String displayName,
      String region,
      Instant createdAt,
      ProfileCounts counts) {}

  record ProfileCounts(long followers, long following, long videos, long likes) {}

  record ListView<T>(List<T> items, String next) {}

  record CommentView(String id, String videoId, UserRef author, String text, Instant createdAt) {}

  private final AccountService accounts;
  private final io.flick.user.SocialService social;
  private final CreatorService creators;
  private final VideoService videos;
  private final CommentService comments;
  private final InteractionPublisher interactions;
  private final ReadyVideoCache readyVideos;
  private final MediaSigner signer;
  private final String publicUrl;
  private final AuthDirectives auth;
  private final SoundRoutes sounds;
  private final Paging paging = new Paging(MAX_LIMIT);

  public SocialRoutes(
      AccountService accounts,
      io.flick.user.SocialService social,
      CreatorService creators,
      VideoService videos,
      CommentService comments,
      InteractionPublisher interactions,
      ReadyVideoCache readyVideos,
      MediaSigner signer,
      String publicUrl,
      AuthDirectives auth,
      SoundRoutes sounds) {
    this.sounds = sounds;
    this.accounts = accounts;
    this.social = social;
    this.creators = creators;
    this.videos = videos;
    this.comments = comments;
    this.interactions = interactions;
    this.readyVideos = readyVideos;
    this.signer = signer;
    this.publicUrl = publicUrl;
    this.auth = auth;
  }

  public Route routes() {
    return concat(
        pathPrefix("users", () -> pathPrefix(this::userRoutes)),
        pathPrefix("videos", () -> pathPrefix(this::videoRoutes)),
        pathPrefix(
            "comments",
            () ->
                path(
                    commentId ->
                        delete(
                            () ->
                                auth.authenticated(
                                    caller ->
                                        onSuccess(
                                            deleteComment(commentId, caller),
                                            done -> complete(StatusCodes.NO_CONTENT)))))));
  }

  // ---- users

  private Route userRoutes(String userId) {
    return concat(
        pathEnd(
            () ->
                get(
                    () ->
                        onSuccess(
                            profile(userId), p -> complete(StatusCodes.OK, p, Json.marshaller())))),
        path(
            "follow",
            () ->
                auth.authenticated(
                    caller ->
                        concat(
                            post(
                                () ->
                                    onSuccess(
                                        follow(caller, userId, true),
                                        r -> complete(StatusCodes.OK, r, Json.marshaller()))),
                            delete(
                                () ->
                                    onSuccess(
                                        follow(caller, userId, false),
                                        r -> complete(StatusCodes.OK, r, Json.marshaller())))))),
        path(
            "videos",
            () ->
                get(
                    () ->
                        auth.optionallyAuthenticated(
                            caller ->
                                paging.paged(
                                    (cursor, limit) ->
                                        onSuccess(
                                            userVideos(userId, caller, cursor, limit),
                                            page ->
                                                complete(
                                                    StatusCodes.OK, page, Json.marshaller())))))),
        path(
            "followers",
            () ->
                get(
                    () ->
                        paging.paged(
                            (cursor, limit) ->
                                onSuccess(
                                    known(userId)
                                        .thenCompose(a -> creators.followers(userId, cursor, limit))
                                        .thenCompose(p -> users(p.items(), p.next())),
                                    page -> complete(StatusCodes.OK, page, Json.marshaller()))))),
        path(
            "following",
            () ->
                get(
                    () ->
                        paging.paged(
                            (cursor, limit) ->
                                onSuccess(
                                    known(userId)
                                        .thenCompose(a -> social.following(userId, cursor, limit))
                                        .thenCompose(p -> users(p.items(), p.next())),
                                    page -> complete(StatusCodes.OK, page, Json.marshaller()))))));
  }

  private CompletionStage<Account> known(String userId) {
    return accounts
        .account(userId)
        .thenApply(a -> a.orElseThrow(() -> ApiException.notFound("no user with id " + userId)));
  }

  /** The user object of GET /users/{id}, which search results reuse; empty for an unknown user. */
  public CompletionStage<Optional<Object>> profileOf(String userId) {
    return profile(userId)
        .handle(
            (view, error) -> {
              if (error == null) {
                return Optional.<Object>of(view);
              }
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              if (cause instanceof ApiException api && api.status() == 404) {
                return Optional.<Object>empty();
              }
              throw error instanceof java.util.concurrent.CompletionException c
                  ? c
                  : new java.util.concurrent.CompletionException(error);
            });
  }

  private CompletionStage<ProfileView> profile(String userId) {
    return known(userId)
        .thenCompose(
            account ->
                creators
                    .summary(userId)
                    .thenCombine(social.social(userId), (creator, user) -> Map.entry(creator, user))
                    .thenCompose(
                        both ->
                            likesReceived(userId)
                                .thenApply(
                                    likes ->
                                        new ProfileView(
                                            account.id(),
                                            account.handle(),
                                            account.displayName(),
                                            account.region(),
                                            account.createdAt(),
                                            new ProfileCounts(
                                                both.getKey().followers(),
                                                both.getValue().followingCount(),
                                                both.getKey().videoCount(),
                                                likes)))));
  }

  /**
   * Likes on the creator's newest 100 videos (what a profile shows; exact totals are analytics).
   */
  private CompletionStage<Long> likesReceived(String userId) {
    return creators
        .videos(userId, Optional.empty(), MAX_LIMIT)
        .thenCompose(page -> videos.getAll(page.items()))
        .thenApply(list -> list.stream().mapToLong(v -> v.counts().likes()).sum());
  }

  /**
   * The follow is the UserActor's fact; the creator's follower list follows it through a projection
   * (FollowersProjection), a few seconds later. The count answered is the creator's as it will be
   * once this change is applied there: read, not written.
   */
  private CompletionStage<Map<String, Object>> follow(
      Caller caller, String creatorId, boolean follow) {
    if (caller.userId().equals(creatorId)) {
      return CompletableFuture.failedFuture(ApiException.badRequest("you cannot follow yourself"));
    }
    return known(creatorId)
        .thenCompose(
            creator ->
                follow
                    ? social.follow(caller.userId(), creatorId)
                    : social.unfollow(caller.userId(), creatorId))
        .thenCompose(state -> creators.followerState(creatorId, caller.userId()))
        .thenApply(
            listed -> {
              long followers = listed.followers();
              if (follow && !listed.follower()) {
                followers++; // not projected yet
              } else if (!follow && listed.follower()) {
                followers--;
              }
              return Map.<String, Object>of("following", follow, "followers", followers);
            });
  }

  private CompletionStage<ListView<VideoView>> userVideos(
      String userId, Optional<Caller> caller, Optional<String> cursor, int limit) {
    boolean own = caller.map(c -> c.userId().equals(userId)).orElse(false);
    return known(userId)
        .thenCompose(a -> creators.videos(userId, cursor, limit))
        .thenCompose(
            page ->
                videos
                    .getAll(page.items())
                    .thenCompose(
                        list ->
                            sounds.withSounds(
                                list.stream()
                                    .filter(v -> own || v.status() == Status.READY)
                                    .map(v -> VideoView.of(v, signer, publicUrl))
                                    .toList()))
                    .thenApply(items -> new ListView<>(items, page.next().orElse(null))));
  }

  private CompletionStage<ListView<UserRef>> users(List<String> ids, Optional<String> next) {
    List<CompletableFuture<Optional<Account>>> lookups =
        ids.stream().map(id -> accounts.account(id).toCompletableFuture()).toList();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                new ListView<>(
                    lookups.stream()
                        .map(CompletableFuture::join)
                        .flatMap(Optional::stream)
                        .map(a -> new UserRef(a.id(), a.handle()))
                        .toList(),
                    next.orElse(null)));
  }

  // ---- videos

  private Route videoRoutes(String videoId) {
    return concat(
        path(
            "like",
            () ->
                auth.authenticated(
                    caller ->
                        concat(
                            post(
                                () ->
                                    onSuccess(
                                        like(caller, videoId, true),
                                        r -> complete(StatusCodes.OK, r, Json.marshaller()))),
                            delete(
                                () ->
                                    onSuccess(
                                        like(caller, videoId, false),
                                        r -> complete(StatusCodes.OK, r, Json.marshaller())))))),
        path(
            "comments",
            () ->
                concat(
                    get(
                        () ->
                            paging.paged(
                                (cursor, limit) ->
                                    onSuccess(
                                        videoExists(videoId)
                                            .thenCompose(v -> comments.list(videoId, cursor, limit))
                                            .thenCompose(this::commentPage),
                                        page ->
                                            complete(StatusCodes.OK, page, Json.marshaller())))),
                    post(
                        () ->
                            auth.authenticated(
                                caller ->
                                    extractDevice(
                                        device ->
                                            entity(
                                                Json.unmarshaller(CommentRequest.class),
                                                req ->
                                                    onSuccess(
                                                        comment(videoId, caller, device, req),
                                                        c ->
                                                            complete(
                                                                StatusCodes.CREATED,
                                                                c,
                                                                Json.marshaller())))))))));
  }

  private CompletionStage<VideoSummary> videoExists(String videoId) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.failedFuture(ApiException.notFound("no video with id " + videoId));
    }
    return videos
        .get(videoId)
        .thenApply(v -> v.orElseThrow(() -> ApiException.notFound("no video with id " + videoId)));
  }

  /**
   * The like is the UserActor's fact; the interactions topic gets it from the likes outbox
   * (LikeInteractionsProjection), so nothing here writes a second place or undoes anything.
   */
  private CompletionStage<Map<String, Object>> like(Caller caller, String videoId, boolean like) {
    return readyVideos
        .playable(videoId)
        .thenCompose(
            video ->
                like
                    ? social.like(
                        caller.userId(),
                        videoId,
                        video.creatorId(),
                        video.hashtags(),
                        video.soundId())
                    : social.unlike(caller.userId(), videoId))
        .thenApply(change -> Map.of("liked", change.liked(), "changed", change.changed()));
  }

  private CompletionStage<CommentView> comment(
      String videoId, Caller caller, String device, CommentRequest req) {
    String text = req == null ? null : req.text();
    Optional<String> problem = CommentService.textProblem(text);
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(ApiException.badRequest(problem.get()));
    }
    return readyVideos
        .playable(videoId)
        .thenCompose(
            video ->
                comments.add(
                    new CommentService.CommentedVideo(
                        video.id(),
                        video.creatorId(),
                        video.hashtags(),
                        video.soundId(),
                        video.media().durationMs()),
                    caller.userId(),
                    caller.region(),
                    device,
                    text,
                    Optional.ofNullable(req.id())))
        .thenApply(
            c ->
                new CommentView(
                    c.id(),
                    videoId,
                    new UserRef(caller.userId(), caller.handle()),
                    c.text(),
                    c.createdAt()));
  }

  /** As for posting: COMMENT_DELETED follows from the journal. */
  private CompletionStage<Done> deleteComment(String commentId, Caller caller) {
    return comments.delete(commentId, caller.userId(), caller.region());
  }

  private CompletionStage<ListView<CommentView>> commentPage(CommentService.Page page) {
    List<String> authors =
        page.items().stream().map(CommentService.Comment::authorId).distinct().toList();
    return users(authors, Optional.empty())
        .thenApply(
            refs -> {
              Map<String, UserRef> byId = new java.util.HashMap<>();
              refs.items().forEach(r -> byId.put(r.id(), r));
              List<CommentView> items = new ArrayList<>();
              for (CommentService.Comment c : page.items()) {
                items.add(
                    new CommentView(
                        c.id(),
                        c.videoId(),
                        byId.getOrDefault(c.authorId(), new UserRef(c.authorId(), null)),
                        c.text(),
                        c.createdAt()));
              }
              return new ListView<>(items, page.next().orElse(null));
            });
  }

  // ---- helpers

  private Route extractDevice(Function<String, Route> inner) {
    return optionalHeaderValueByName(
        "User-Agent", agent -> inner.apply(InteractionEvents.device(agent)));
  }
}
