package io.flick.video;

import io.flick.common.Ids;
import io.flick.video.VideoActor.Rendition;
import io.flick.video.VideoActor.VideoLookup;
import io.flick.video.VideoActor.VideoSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Calls {@link VideoActor}s. Refusals come back as exceptions: {@link VideoNotFoundException}
 * (never created, or deleted), {@link NotCreatorException}, {@link IllegalArgumentException} (bad
 * input) and {@link VideoStateException} (not allowed in the video's current state). A reply that
 * does not come within the ask timeout fails the stage with Pekko's {@code AskTimeoutException} (a
 * {@link java.util.concurrent.TimeoutException}). Ids that {@link Ids} could not have made are
 * refused before any entity is started.
 */
public final class VideoService {

  /** The video was never created, or has been deleted. */
  public static final class VideoNotFoundException extends RuntimeException {
    public VideoNotFoundException(String message) {
      super(message);
    }
  }

  /** Only the creator may do this. */
  public static final class NotCreatorException extends RuntimeException {
    public NotCreatorException(String message) {
      super(message);
    }
  }

  /** The command does not fit the video's state, e.g. marking a READY video FAILED. */
  public static final class VideoStateException extends RuntimeException {
    public VideoStateException(String message) {
      super(message);
    }
  }

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public VideoService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /** Reads the ask timeout from {@code flick.ask-timeout}. */
  public VideoService(ActorSystem<?> system) {
    this(system, system.settings().config().getDuration("flick.ask-timeout"));
  }

  public CompletionStage<VideoSummary> create(
      String videoId,
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      long sizeBytes,
      String contentType,
      String sourceKey,
      Instant uploadDeadline) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("'" + videoId + "' is not a video id"));
    }
    return askWithStatus(
        videoId,
        replyTo ->
            new VideoActor.Create(
                creatorId,
                caption,
                hashtags,
                soundId,
                sizeBytes,
                contentType,
                sourceKey,
                uploadDeadline,
                replyTo));
  }

  public CompletionStage<VideoSummary> completeUpload(String videoId, String creatorId) {
    return askWithStatus(videoId, replyTo -> new VideoActor.CompleteUpload(creatorId, replyTo));
  }

  public CompletionStage<VideoSummary> publishFirstRung(
      String videoId,
      long durationMs,
      int width,
      int height,
      Rendition rendition,
      String masterPlaylistKey,
      Optional<String> posterKey) {
    return askWithStatus(
        videoId,
        replyTo ->
            new VideoActor.PublishFirstRung(
                durationMs, width, height, rendition, masterPlaylistKey, posterKey, replyTo));
  }

  public CompletionStage<VideoSummary> markReady(
      String videoId,
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      String masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash) {
    return askWithStatus(
        videoId,
        replyTo ->
            new VideoActor.MarkReady(
                durationMs,
                width,
                height,
                renditions,
                masterPlaylistKey,
                posterKey,
                dhash,
                replyTo));
  }

  public CompletionStage<VideoSummary> markFailed(String videoId, String reason) {
    return askWithStatus(videoId, replyTo -> new VideoActor.MarkFailed(reason, replyTo));
  }

  public CompletionStage<Done> delete(String videoId, String requesterId) {
    return askWithStatus(videoId, replyTo -> new VideoActor.Delete(requesterId, replyTo));
  }

  /** Empty when the video was never created or has been deleted. */
  public CompletionStage<Optional<VideoSummary>> get(String videoId) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return entity(videoId).ask(VideoActor.Get::new, askTimeout).thenApply(VideoLookup::video);
  }

  private <T> CompletionStage<T> askWithStatus(
      String videoId, Function<ActorRef<StatusReply<T>>, VideoActor.Command> command) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.failedFuture(
          new VideoNotFoundException("video " + videoId + " does not exist"));
    }
    return entity(videoId)
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
      String message = refusal.getMessage();
      return switch (VideoActor.Refusal.of(message)) {
        case NOT_FOUND -> new VideoNotFoundException(message);
        case FORBIDDEN -> new NotCreatorException(message);
        case INVALID -> new IllegalArgumentException(message);
        case CONFLICT -> new VideoStateException(message);
      };
    }
    return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
  }

  private EntityRef<VideoActor.Command> entity(String videoId) {
    return sharding.entityRefFor(VideoActor.ENTITY_TYPE_KEY, videoId);
  }
}
