package io.flick.video;

import io.flick.common.Ids;
import io.flick.common.writeback.WriteBackGapException;
import io.flick.common.writeback.WriteBackReply;
import io.flick.video.VideoSummary.Rendition;
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
 *
 * <p>The deadline index follows the videos' journals ({@link DeadlinesProjection}); nothing here
 * writes beside the entity.
 *
 * <p>{@link #applyCounts} feeds the write-back counters from the {@code interactions} consumer.
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

  /**
   * A batch of counts starts before the offset its partition is already counted through (a
   * redelivery cut differently from the batches that were counted): it was neither counted nor
   * skipped. Count the events after {@link #countedThrough()} again as a new batch.
   */
  public static final class CountsOverlapException extends RuntimeException {
    private final long countedThrough;

    public CountsOverlapException(String message, long countedThrough) {
      super(message);
      this.countedThrough = countedThrough;
    }

    /** The highest offset of the batch's partition that is counted, or about to be. */
    public long countedThrough() {
      return countedThrough;
    }
  }

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration countsTimeout;

  public VideoService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    // a batch is answered when the flush after it is written: up to one interval later
    this.countsTimeout = askTimeout.plus(VideoActor.counterFlushInterval(system));
  }

  /** Reads the ask timeout from {@code flick.ask-timeout}. */
  public VideoService(ActorSystem<?> system) {
    this(system, askTimeout(system));
  }

  private static Duration askTimeout(ActorSystem<?> system) {
    return system.settings().config().getDuration("flick.ask-timeout");
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
    return create(
        videoId,
        creatorId,
        caption,
        hashtags,
        soundId,
        sizeBytes,
        contentType,
        sourceKey,
        uploadDeadline,
        Optional.empty());
  }

  /** As above; with {@code remix}, the video is a duet or stitch of another. */
  public CompletionStage<VideoSummary> create(
      String videoId,
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      long sizeBytes,
      String contentType,
      String sourceKey,
      Instant uploadDeadline,
      Optional<VideoSummary.RemixOf> remix) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("'" + videoId + "' is not a video id"));
    }
    return askWithStatus(
        videoId,
        replyTo ->
            new VideoCommand.Create(
                creatorId,
                caption,
                hashtags,
                soundId,
                sizeBytes,
                contentType,
                sourceKey,
                uploadDeadline,
                remix,
                replyTo));
  }

  public CompletionStage<VideoSummary> completeUpload(String videoId, String creatorId) {
    return askWithStatus(videoId, replyTo -> new VideoCommand.CompleteUpload(creatorId, replyTo));
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
            new VideoCommand.PublishFirstRung(
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
    return markReady(
        videoId,
        durationMs,
        width,
        height,
        renditions,
        masterPlaylistKey,
        posterKey,
        dhash,
        Optional.empty());
  }

  /** As above; with {@code holdFor} present the video goes straight to HELD for that reason. */
  public CompletionStage<VideoSummary> markReady(
      String videoId,
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      String masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash,
      Optional<String> holdFor) {
    return markReady(
        videoId,
        durationMs,
        width,
        height,
        renditions,
        masterPlaylistKey,
        posterKey,
        dhash,
        holdFor,
        Optional.empty(),
        List.of());
  }

  /**
   * As above, with what the clip's own audio is (see {@link VideoCommand.ClipAudio}) and the
   * video's content vector ({@code content} empty: none).
   */
  public CompletionStage<VideoSummary> markReady(
      String videoId,
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      String masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash,
      Optional<String> holdFor,
      Optional<VideoCommand.ClipAudio> audio,
      List<Float> content) {
    return this.<VideoSummary>askWithStatus(
        videoId,
        replyTo ->
            new VideoCommand.MarkReady(
                durationMs,
                width,
                height,
                renditions,
                masterPlaylistKey,
                posterKey,
                dhash,
                holdFor,
                audio,
                content,
                replyTo));
  }

  /** Only the creator: lets others use the video's sound and remix it, or stops them. */
  public CompletionStage<VideoSummary> setReuse(
      String videoId, String requesterId, boolean allowed) {
    return askWithStatus(
        videoId, replyTo -> new VideoCommand.SetReuse(requesterId, allowed, replyTo));
  }

  /** Only the creator: lets others duet and stitch the video, or stops them. */
  public CompletionStage<VideoSummary> setRemix(
      String videoId, String requesterId, boolean allowed) {
    return askWithStatus(
        videoId, replyTo -> new VideoCommand.SetRemix(requesterId, allowed, replyTo));
  }

  public CompletionStage<VideoSummary> markFailed(String videoId, String reason) {
    return askWithStatus(videoId, replyTo -> new VideoCommand.MarkFailed(reason, replyTo));
  }

  public CompletionStage<Done> delete(String videoId, String requesterId) {
    return askWithStatus(videoId, replyTo -> new VideoCommand.Delete(requesterId, replyTo));
  }

  /** A moderator holds a READY video for review (idempotent). */
  public CompletionStage<VideoSummary> hold(String videoId, String moderatorId, String reason) {
    return askWithStatus(videoId, replyTo -> new VideoCommand.Hold(moderatorId, reason, replyTo));
  }

  /** A moderator releases a HELD video (idempotent). */
  public CompletionStage<VideoSummary> release(String videoId, String moderatorId) {
    return askWithStatus(videoId, replyTo -> new VideoCommand.Release(moderatorId, replyTo));
  }

  /** A moderator removes a video: gone from every list, its media deleted (idempotent). */
  public CompletionStage<Done> remove(String videoId, String moderatorId, String reason) {
    return askWithStatus(videoId, replyTo -> new VideoCommand.Remove(moderatorId, reason, replyTo));
  }

  /**
   * Counts one pre-aggregated batch of the {@code interactions} topic for a video (see {@link
   * VideoCommand.ApplyCounts}): completes once the batch is in the journal, or already was, so the
   * caller may then commit the batch's offsets. That can take up to one {@code
   * flick.video.counter-flush-interval}, so this waits the ask timeout plus that interval. A video
   * that was never created or has been deleted, or an id that cannot be a video's, completes at
   * once and counts nothing. Fails with {@link CountsOverlapException} for a batch that starts
   * inside what is counted and ends beyond it, and {@link IllegalArgumentException} for a malformed
   * one.
   */
  public CompletionStage<Done> applyCounts(
      String videoId,
      int partition,
      long fromOffset,
      long toOffset,
      long previousThrough,
      CountDeltas deltas,
      List<CountDeltas.Identified> identified) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return entity(videoId)
        .<WriteBackReply>ask(
            replyTo ->
                new VideoCommand.ApplyCounts(
                    partition, fromOffset, toOffset, previousThrough, deltas, identified, replyTo),
            countsTimeout)
        .thenCompose(VideoService::countsOutcome);
  }

  private static CompletionStage<Done> countsOutcome(WriteBackReply reply) {
    if (reply instanceof WriteBackReply.Overlap overlap) {
      return CompletableFuture.failedFuture(
          new CountsOverlapException(overlap.detail(), overlap.writtenThrough()));
    }
    if (reply instanceof WriteBackReply.Gap gap) {
      return CompletableFuture.failedFuture(new WriteBackGapException(gap.detail()));
    }
    if (reply instanceof WriteBackReply.Invalid invalid) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(invalid.reason()));
    }
    return CompletableFuture.completedFuture(Done.getInstance()); // Written
  }

  /**
   * The videos that exist among {@code ids}, in the order given (absent and deleted ones left out).
   */
  public CompletionStage<List<VideoSummary>> getAll(List<String> ids) {
    List<CompletableFuture<Optional<VideoSummary>>> lookups =
        ids.stream().map(id -> get(id).toCompletableFuture()).toList();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                lookups.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
  }

  /** Empty when the video was never created or has been deleted. */
  public CompletionStage<Optional<VideoSummary>> get(String videoId) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return entity(videoId).ask(VideoCommand.Get::new, askTimeout).thenApply(VideoLookup::video);
  }

  // ---- asking

  private <T> CompletionStage<T> askWithStatus(
      String videoId, Function<ActorRef<StatusReply<T>>, VideoCommand> command) {
    return askWithStatus(videoId, command, askTimeout);
  }

  private <T> CompletionStage<T> askWithStatus(
      String videoId, Function<ActorRef<StatusReply<T>>, VideoCommand> command, Duration timeout) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.failedFuture(
          new VideoNotFoundException("video " + videoId + " does not exist"));
    }
    return entity(videoId)
        .askWithStatus(command::apply, timeout)
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
      // the entity refuses with typed exceptions (see VideoLifecycle.refuse); a bare message is a
      // refusal of a kind it does not name
      return new VideoStateException(refusal.getMessage());
    }
    return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
  }

  private EntityRef<VideoCommand> entity(String videoId) {
    return sharding.entityRefFor(VideoActor.ENTITY_TYPE_KEY, videoId);
  }
}
