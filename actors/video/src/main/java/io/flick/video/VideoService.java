package io.flick.video;

import io.flick.common.Ids;
import io.flick.common.writeback.WriteBackGapException;
import io.flick.common.writeback.WriteBackReply;
import io.flick.video.VideoActor.CountDeltas;
import io.flick.video.VideoActor.Rendition;
import io.flick.video.VideoActor.VideoLookup;
import io.flick.video.VideoActor.VideoSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link VideoActor}s. Refusals come back as exceptions: {@link VideoNotFoundException}
 * (never created, or deleted), {@link NotCreatorException}, {@link IllegalArgumentException} (bad
 * input) and {@link VideoStateException} (not allowed in the video's current state). A reply that
 * does not come within the ask timeout fails the stage with Pekko's {@code AskTimeoutException} (a
 * {@link java.util.concurrent.TimeoutException}). Ids that {@link Ids} could not have made are
 * refused before any entity is started.
 *
 * <p>Given a {@link DeadlineIndex}, it keeps the index in step with the lifecycle: after a
 * successful {@code create} or {@code completeUpload} it remembers the video's current {@link
 * VideoSummary#deadline()}, after a successful {@code markReady}, {@code markFailed} or {@code
 * delete} it forgets the video. The call completes once the index has answered, or after the ask
 * timeout; a failing index is logged at WARN and never fails the call (the entity is the truth, and
 * {@link DeadlineSweeper} repairs stale entries).
 *
 * <p>{@link #applyCounts} feeds the write-back counters from the {@code interactions} consumer.
 */
public final class VideoService {
  private static final Logger log = LoggerFactory.getLogger(VideoService.class);

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
  private final Optional<DeadlineIndex> deadlines;

  public VideoService(ActorSystem<?> system, Duration askTimeout) {
    this(system, askTimeout, Optional.empty());
  }

  /** Reads the ask timeout from {@code flick.ask-timeout}. */
  public VideoService(ActorSystem<?> system) {
    this(system, askTimeout(system));
  }

  /** Keeps {@code deadlines} in step with every video's lifecycle. */
  public VideoService(ActorSystem<?> system, Duration askTimeout, DeadlineIndex deadlines) {
    this(system, askTimeout, Optional.of(Objects.requireNonNull(deadlines, "deadlines")));
  }

  /** Reads the ask timeout from {@code flick.ask-timeout}; keeps {@code deadlines} in step. */
  public VideoService(ActorSystem<?> system, DeadlineIndex deadlines) {
    this(system, askTimeout(system), deadlines);
  }

  private VideoService(
      ActorSystem<?> system, Duration askTimeout, Optional<DeadlineIndex> deadlines) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    // a batch is answered when the flush after it is written: up to one interval later
    this.countsTimeout = askTimeout.plus(VideoActor.counterFlushInterval(system));
    this.deadlines = deadlines;
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
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("'" + videoId + "' is not a video id"));
    }
    return this.<VideoSummary>askWithStatus(
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
                    replyTo))
        .thenCompose(video -> track(videoId, video));
  }

  public CompletionStage<VideoSummary> completeUpload(String videoId, String creatorId) {
    return this.<VideoSummary>askWithStatus(
            videoId, replyTo -> new VideoActor.CompleteUpload(creatorId, replyTo))
        .thenCompose(video -> track(videoId, video));
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
    return this.<VideoSummary>askWithStatus(
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
                    replyTo))
        .thenCompose(video -> untrack(videoId, video));
  }

  public CompletionStage<VideoSummary> markFailed(String videoId, String reason) {
    return this.<VideoSummary>askWithStatus(
            videoId, replyTo -> new VideoActor.MarkFailed(reason, replyTo))
        .thenCompose(video -> untrack(videoId, video));
  }

  public CompletionStage<Done> delete(String videoId, String requesterId) {
    return this.<Done>askWithStatus(videoId, replyTo -> new VideoActor.Delete(requesterId, replyTo))
        .thenCompose(done -> untrack(videoId, done));
  }

  /**
   * Counts one pre-aggregated batch of the {@code interactions} topic for a video (see {@link
   * VideoActor.ApplyCounts}): completes once the batch is in the journal, or already was, so the
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
      CountDeltas deltas) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return entity(videoId)
        .<WriteBackReply>ask(
            replyTo ->
                new VideoActor.ApplyCounts(
                    partition, fromOffset, toOffset, previousThrough, deltas, replyTo),
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
    return entity(videoId).ask(VideoActor.Get::new, askTimeout).thenApply(VideoLookup::video);
  }

  // ---- deadline index

  /** Remembers the video's current deadline, or forgets it when it has none (READY, FAILED). */
  private CompletionStage<VideoSummary> track(String videoId, VideoSummary video) {
    if (deadlines.isEmpty()) {
      return CompletableFuture.completedFuture(video);
    }
    DeadlineIndex index = deadlines.get();
    Optional<Instant> deadline = video.deadline();
    return deadline.isPresent()
        ? quietly("remember", videoId, () -> index.remember(videoId, deadline.get()), video)
        : quietly("forget", videoId, () -> index.forget(videoId), video);
  }

  private <T> CompletionStage<T> untrack(String videoId, T result) {
    if (deadlines.isEmpty()) {
      return CompletableFuture.completedFuture(result);
    }
    DeadlineIndex index = deadlines.get();
    return quietly("forget", videoId, () -> index.forget(videoId), result);
  }

  /**
   * Runs one index operation and completes with {@code result} however it ends: failed, thrown or
   * not answered within the ask timeout, it is logged and the caller still gets its result.
   */
  private <T> CompletionStage<T> quietly(
      String operation, String videoId, Supplier<CompletionStage<Void>> call, T result) {
    CompletableFuture<Void> answered;
    try {
      // copy(): the timeout must not complete a future the index owns
      answered = call.get().toCompletableFuture().copy();
    } catch (RuntimeException e) {
      answered = CompletableFuture.failedFuture(e);
    }
    return answered
        .orTimeout(askTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                log.warn(
                    "deadline index: {} of video {} failed ({}); the call itself succeeded",
                    operation,
                    videoId,
                    String.valueOf(
                        failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure));
              }
              return result;
            });
  }

  // ---- asking

  private <T> CompletionStage<T> askWithStatus(
      String videoId, Function<ActorRef<StatusReply<T>>, VideoActor.Command> command) {
    return askWithStatus(videoId, command, askTimeout);
  }

  private <T> CompletionStage<T> askWithStatus(
      String videoId,
      Function<ActorRef<StatusReply<T>>, VideoActor.Command> command,
      Duration timeout) {
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
