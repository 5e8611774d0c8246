package io.flick.creator;

import io.flick.common.Ids;
import io.flick.creator.CreatorActor.CreatorSummary;
import io.flick.creator.CreatorActor.FollowerChange;
import io.flick.creator.CreatorActor.Page;
import io.flick.creator.CreatorActor.VideoChange;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Calls {@link CreatorActor}s. Every refusal (an id {@link Ids} could not have made, a creator
 * following itself, a bad cursor or limit) comes back as an {@link IllegalArgumentException}; a
 * reply that does not come within the ask timeout fails the stage with Pekko's {@code
 * AskTimeoutException} (a {@link java.util.concurrent.TimeoutException}). Creators need no
 * creation: one nobody has followed yet answers zero followers and no videos.
 */
public final class CreatorService {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public CreatorService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /** Reads the ask timeout from {@code flick.ask-timeout}. */
  public CreatorService(ActorSystem<?> system) {
    this(system, system.settings().config().getDuration("flick.ask-timeout"));
  }

  /** Idempotent per follower; {@code at} is when the user followed. */
  public CompletionStage<FollowerChange> addFollower(
      String creatorId, String followerId, Instant at) {
    if (!Ids.isWellFormed(followerId)) {
      return notAnId(followerId, "user");
    }
    return ask(creatorId, r -> new CreatorActor.AddFollower(followerId, at, r));
  }

  /** Idempotent per follower; {@code at} is when the user unfollowed. */
  public CompletionStage<FollowerChange> removeFollower(
      String creatorId, String followerId, Instant at) {
    if (!Ids.isWellFormed(followerId)) {
      return notAnId(followerId, "user");
    }
    return ask(creatorId, r -> new CreatorActor.RemoveFollower(followerId, at, r));
  }

  /** Whether {@code followerId} follows the creator, as the creator's list has it now. */
  public CompletionStage<FollowerChange> followerState(String creatorId, String followerId) {
    if (!Ids.isWellFormed(creatorId)) {
      return notAnId(creatorId, "user");
    }
    return entity(creatorId).ask(r -> new CreatorActor.GetFollowerState(followerId, r), askTimeout);
  }

  /** Idempotent; {@code at} orders the creator's videos (newest first). */
  public CompletionStage<VideoChange> addVideo(String creatorId, String videoId, Instant at) {
    if (!Ids.isWellFormed(videoId)) {
      return notAnId(videoId, "video");
    }
    return ask(creatorId, r -> new CreatorActor.AddVideo(videoId, at, r));
  }

  /** Idempotent. */
  public CompletionStage<VideoChange> removeVideo(String creatorId, String videoId) {
    if (!Ids.isWellFormed(videoId)) {
      return notAnId(videoId, "video");
    }
    return ask(creatorId, r -> new CreatorActor.RemoveVideo(videoId, r));
  }

  /** Counts and the recent daily follower history. */
  public CompletionStage<CreatorSummary> summary(String creatorId) {
    if (!Ids.isWellFormed(creatorId)) {
      return notAnId(creatorId, "user");
    }
    return entity(creatorId).ask(CreatorActor.GetCreator::new, askTimeout);
  }

  /** Follower ids, most recent first. */
  public CompletionStage<Page> followers(String creatorId, Optional<String> cursor, int limit) {
    return ask(creatorId, r -> new CreatorActor.GetFollowers(cursor, limit, r));
  }

  /** Video ids, newest first. */
  public CompletionStage<Page> videos(String creatorId, Optional<String> cursor, int limit) {
    return ask(creatorId, r -> new CreatorActor.GetVideos(cursor, limit, r));
  }

  private <T> CompletionStage<T> ask(
      String creatorId, Function<ActorRef<StatusReply<T>>, CreatorActor.Command> command) {
    if (!Ids.isWellFormed(creatorId)) {
      return notAnId(creatorId, "user");
    }
    return entity(creatorId)
        .askWithStatus(command::apply, askTimeout)
        .exceptionally(
            failure -> {
              throw translate(failure);
            });
  }

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
    return CompletableFuture.failedFuture(
        new IllegalArgumentException("'" + id + "' is not a " + kind + " id"));
  }

  private EntityRef<CreatorActor.Command> entity(String creatorId) {
    return sharding.entityRefFor(CreatorActor.ENTITY_TYPE_KEY, creatorId);
  }
}
