package io.flick.user;

import io.flick.common.Ids;
import io.flick.common.writeback.WriteBackGapException;
import io.flick.common.writeback.WriteBackReply;
import io.flick.user.UserCommand.FollowState;
import io.flick.user.UserCommand.LikeChange;
import io.flick.user.UserCommand.Page;
import io.flick.user.UserCommand.Social;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Calls {@link UserActor}s for the social graph and the preference profile. Refusals come back as
 * exceptions: {@link UnknownUserException} when the acting user was never registered (or its id is
 * not one {@link Ids} could have made), {@link IllegalArgumentException} for anything else the
 * caller got wrong (following oneself, a missing field, a bad cursor, the following limit). A reply
 * that does not come within the ask timeout fails the stage with Pekko's {@code
 * AskTimeoutException} (a {@link java.util.concurrent.TimeoutException}).
 *
 * <p>Follows and likes are stamped with this service's clock; watches and shares take the instant
 * they happened, since they usually arrive from a stream some time later.
 */
public final class SocialService {

  /** The user was never registered. */
  public static final class UnknownUserException extends RuntimeException {
    /** Takes the message, so Pekko can rebuild it from class and message on another node. */
    public UnknownUserException(String message) {
      super(message);
    }

    public static UnknownUserException of(String userId) {
      return new UnknownUserException("user " + userId + " does not exist");
    }
  }

  private final ClusterSharding sharding;

  private final Duration askTimeout;
  private final Clock clock;

  public SocialService(ActorSystem<?> system, Duration askTimeout) {
    this(system, askTimeout, Clock.systemUTC());
  }

  /** Reads the ask timeout from {@code flick.ask-timeout}. */
  public SocialService(ActorSystem<?> system) {
    this(system, system.settings().config().getDuration("flick.ask-timeout"));
  }

  SocialService(ActorSystem<?> system, Duration askTimeout, Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  public CompletionStage<FollowState> follow(String userId, String creatorId) {
    Instant at = clock.instant();
    if (!Ids.isWellFormed(creatorId)) {
      return notAnId(creatorId, "user");
    }
    return ask(userId, r -> new UserCommand.Follow(creatorId, at, r));
  }

  public CompletionStage<FollowState> unfollow(String userId, String creatorId) {
    Instant at = clock.instant();
    if (!Ids.isWellFormed(creatorId)) {
      return notAnId(creatorId, "user");
    }
    return ask(userId, r -> new UserCommand.Unfollow(creatorId, at, r));
  }

  public CompletionStage<LikeChange> like(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId) {
    Instant at = clock.instant();
    if (!Ids.isWellFormed(videoId)) {
      return notAnId(videoId, "video");
    }
    return ask(userId, r -> new UserCommand.Like(videoId, creatorId, hashtags, soundId, at, r));
  }

  public CompletionStage<LikeChange> unlike(String userId, String videoId) {
    Instant at = clock.instant();
    if (!Ids.isWellFormed(videoId)) {
      return notAnId(videoId, "video");
    }
    return ask(userId, r -> new UserCommand.Unlike(videoId, at, r));
  }

  /** Which of {@code videoIds} the user likes. */
  public CompletionStage<java.util.Set<String>> likedAmong(String userId, List<String> videoIds) {
    if (videoIds.isEmpty()) {
      return CompletableFuture.completedFuture(java.util.Set.of());
    }
    return this.<UserCommand.LikedVideos>ask(userId, r -> new UserCommand.LikedAmong(videoIds, r))
        .thenApply(UserCommand.LikedVideos::videoIds);
  }

  /**
   * Watches and shares for one user's profile, write-back (see {@link UserCommand.LearnSignals}):
   * completes once they are persisted, at most a flush interval later; an unknown user has nothing
   * to learn and completes at once. Fails with {@link WriteBackGapException} when a batch named in
   * {@code previousThrough} never reached the UserActor.
   */
  public CompletionStage<Done> learnSignals(
      String userId, List<UserCommand.SignalAt> signals, Map<Integer, Long> previousThrough) {
    return entity(userId)
        .<WriteBackReply>ask(
            r -> new UserCommand.LearnSignals(signals, previousThrough, r), askTimeout)
        .thenCompose(
            reply -> {
              if (reply instanceof WriteBackReply.Gap gap) {
                return CompletableFuture.failedFuture(new WriteBackGapException(gap.detail()));
              }
              if (reply instanceof WriteBackReply.Invalid invalid) {
                return CompletableFuture.failedFuture(
                    new IllegalArgumentException(invalid.reason()));
              }
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /** The profile decayed to now. */
  public CompletionStage<Profile> profile(String userId) {
    return ask(userId, r -> new UserCommand.GetProfile(Optional.empty(), r));
  }

  /** The profile decayed to {@code asOf}. */
  public CompletionStage<Profile> profile(String userId, Instant asOf) {
    return ask(userId, r -> new UserCommand.GetProfile(Optional.of(asOf), r));
  }

  public CompletionStage<Social> social(String userId) {
    return ask(userId, UserCommand.GetSocial::new);
  }

  /** Followed creator ids, most recently followed first. */
  public CompletionStage<Page> following(String userId, Optional<String> cursor, int limit) {
    return ask(userId, r -> new UserCommand.GetFollowing(cursor, limit, r));
  }

  /** The next For You videos the user's actor has ready (it refills in the background). */
  public CompletionStage<UserCommand.ForYouPage> forYouPage(String userId, int limit) {
    return ask(userId, r -> new UserCommand.GetForYouPage(limit, r));
  }

  private <T> CompletionStage<T> ask(
      String userId, Function<ActorRef<StatusReply<T>>, UserCommand> command) {
    if (!Ids.isWellFormed(userId)) {
      return failed(UnknownUserException.of(userId));
    }
    return entity(userId)
        .askWithStatus(command::apply, askTimeout)
        .exceptionally(
            failure -> {
              throw translate(failure);
            });
  }

  /** The entity refuses with typed exceptions (see UserEffects): they pass as they are. */
  private static RuntimeException translate(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StatusReply.ErrorMessage refusal) {
      return new IllegalArgumentException(refusal.getMessage());
    }
    return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
  }

  private static <T> CompletionStage<T> notAnId(String id, String kind) {
    return failed(new IllegalArgumentException("'" + id + "' is not a " + kind + " id"));
  }

  private static <T> CompletionStage<T> failed(RuntimeException e) {
    return CompletableFuture.failedFuture(e);
  }

  private EntityRef<UserCommand> entity(String userId) {
    return sharding.entityRefFor(UserActor.ENTITY_TYPE_KEY, userId);
  }
}
