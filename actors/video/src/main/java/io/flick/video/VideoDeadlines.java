package io.flick.video;

import io.flick.video.VideoEvent.Failed;
import io.flick.video.VideoState.Failure;
import io.flick.video.VideoState.Live;
import io.flick.video.VideoState.Processing;
import io.flick.video.VideoState.Uploading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The deadlines of a video: an upload must complete by its upload deadline, and processing must end
 * within {@code flick.transcode.processing-timeout} of that (publishing the first rung does not
 * extend it). {@link VideoSummary#deadline()} is the deadline of the current state.
 *
 * <p>One timer fails the video when its deadline passes; it is re-armed when the entity recovers,
 * and a command reaching an UPLOADING or PROCESSING video past its deadline fails it first ({@link
 * #failFirst}), so a video read after its deadline is never seen UPLOADING or PROCESSING. A
 * passivated or rebalanced entity holds no timer until something wakes it: {@link DeadlineSweeper}
 * sends overdue videos a {@link VideoCommand.Get}.
 *
 * <p>One handler per entity incarnation: it holds the entity's timers.
 */
final class VideoDeadlines {
  static final String DEADLINE_REASON = "upload was not completed before its deadline";

  // the scheduler cannot hold a timer for much more than 248 days; longer waits are re-armed
  private static final Duration MAX_TIMER_DELAY = Duration.ofDays(30);
  private static final String DEADLINE_TIMER = "deadline";

  /** The timer of the current state's deadline ({@code deadline}) fired. */
  record DeadlinePassed(Instant deadline) implements VideoCommand {}

  /** A deadline beyond the scheduler's reach: arm the timer again, closer to it. */
  record RearmDeadline(Instant deadline) implements VideoCommand {}

  private final String videoId;
  private final Clock clock;
  private final Duration processingTimeout;
  private final ActorContext<VideoCommand> context;
  private final TimerScheduler<VideoCommand> timers;
  private final EffectFactories<VideoEvent, VideoState> effect;

  VideoDeadlines(
      String videoId,
      Clock clock,
      Duration processingTimeout,
      ActorContext<VideoCommand> context,
      TimerScheduler<VideoCommand> timers,
      EffectFactories<VideoEvent, VideoState> effect) {
    this.videoId = videoId;
    this.clock = clock;
    this.processingTimeout = processingTimeout;
    this.context = context;
    this.timers = timers;
    this.effect = effect;
  }

  /**
   * Why a video that stayed PROCESSING past its deadline failed, in words its uploader can read.
   */
  static String processingDeadlineReason(Duration timeout) {
    return "processing did not finish in time (" + readable(timeout) + "); please upload again";
  }

  private static String readable(Duration d) {
    if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) {
      long minutes = d.toMinutes();
      return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
    long seconds = Math.max(1, d.toSeconds());
    return seconds == 1 ? "1 second" : seconds + " seconds";
  }

  /** When the processing of an upload completed {@code now} must end. */
  Instant processingDeadline(Instant now) {
    return now.plus(processingTimeout);
  }

  /** A recovered entity arms the timer of the deadline it was waiting for. */
  void onRecoveryCompleted(VideoState state) {
    if (state instanceof Uploading uploading) {
      arm(uploading.deadline());
    } else if (state instanceof Processing processing) {
      arm(processing.deadline());
    }
  }

  /** Arms the one deadline timer, replacing whatever deadline it was armed for. */
  void arm(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      timers.cancel(DEADLINE_TIMER);
      context.getSelf().tell(new DeadlinePassed(deadline));
    } else if (left.compareTo(MAX_TIMER_DELAY) > 0) {
      timers.startSingleTimer(DEADLINE_TIMER, new RearmDeadline(deadline), MAX_TIMER_DELAY);
    } else {
      timers.startSingleTimer(DEADLINE_TIMER, new DeadlinePassed(deadline), left);
    }
  }

  /** The video left UPLOADING and PROCESSING: no deadline any more. */
  void cancel() {
    timers.cancel(DEADLINE_TIMER);
  }

  boolean overdue(Uploading state) {
    return state.overdueAt(clock.instant());
  }

  boolean overdue(Processing state) {
    return state.overdueAt(clock.instant());
  }

  ReplyEffect<VideoEvent, VideoState> onUploadDeadlinePassed(Uploading state, DeadlinePassed msg) {
    if (!msg.deadline().equals(state.deadline())) {
      return effect.noReply(); // left over from another deadline
    }
    return effect.persist(failure(state)).thenNoReply();
  }

  ReplyEffect<VideoEvent, VideoState> onProcessingDeadlinePassed(
      Processing state, DeadlinePassed msg) {
    if (!msg.deadline().equals(state.deadline())) {
      return effect.noReply(); // left over from the upload deadline
    }
    return effect.persist(failure(state)).thenNoReply();
  }

  ReplyEffect<VideoEvent, VideoState> rearm(Instant current, RearmDeadline msg) {
    if (!msg.deadline().equals(current)) {
      return effect.noReply();
    }
    return effect.none().thenRun(s -> arm(msg.deadline())).thenNoReply();
  }

  /** A timer of a video with no deadline (any more): nothing to do. */
  ReplyEffect<VideoEvent, VideoState> ignore(VideoState state, VideoCommand timer) {
    return effect.noReply();
  }

  /**
   * An UPLOADING or PROCESSING video past its deadline records its failure before anything else,
   * then answers as a FAILED one would; so nobody sees it in that state after its deadline, timer
   * or not.
   */
  <R> ReplyEffect<VideoEvent, VideoState> failFirst(
      Live state, ActorRef<R> replyTo, Function<Failure, R> reply) {
    return effect
        .persist(failure(state))
        .thenRun(s -> cancel())
        .thenReply(replyTo, s -> reply.apply((Failure) s));
  }

  private Failed failure(Live state) {
    String reason =
        state instanceof Processing ? processingDeadlineReason(processingTimeout) : DEADLINE_REASON;
    return new Failed(videoId, state.creatorId(), reason, clock.instant());
  }
}
