package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.video.VideoState.Live;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.VideoSummary.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The processing deadline: a video must leave PROCESSING within {@code
 * flick.transcode.processing-timeout} (20 minutes, this module's reference.conf) of its upload
 * completing. Like {@link VideoActorDeadlineTest}, the scheduler runs on {@link ManualTime} and the
 * entity's clock is a {@link TestClock}; every test has its own video id, so an entity a finished
 * test leaves behind (with its timer) can never write into the next test's journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoActorProcessingDeadlineTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  // the journal's call timeout runs on the manual clock too: advancing it by hours
                  // must not time out a write that is merely in flight
                  "pekko.persistence.journal-plugin-fallback.circuit-breaker.call-timeout = 180 days\n"
                      + "pekko.persistence.snapshot-store-plugin-fallback.circuit-breaker.call-timeout"
                      + " = 180 days")
              .withFallback(ManualTime.config())
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final AtomicInteger ids = new AtomicInteger();

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMinutes(20);
  private static final Instant COMPLETED = T0.plus(Duration.ofMinutes(1));
  private static final Instant DEADLINE = COMPLETED.plus(TIMEOUT);
  private static final String REASON = VideoDeadlines.processingDeadlineReason(TIMEOUT);
  private static final Rendition R360 =
      new Rendition("360p", 360, 640, 900_000, 800_000, "avc1.64001e", "videos/v/360p.m3u8");

  private final String id = "v" + ids.incrementAndGet();
  private final TestClock clock = new TestClock(T0);
  private final EventSourcedBehaviorTestKit<VideoCommand, VideoEvent, VideoState> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), VideoActor.create(id, clock));

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Created at T0 (upload deadline T0 + 1h), upload completed at {@link #COMPLETED}. */
  private VideoSummary processing() {
    kit.<StatusReply<VideoSummary>>runCommand(
        r ->
            new VideoCommand.Create(
                "c1",
                "clip",
                List.of(),
                Optional.empty(),
                10,
                "video/mp4",
                "uploads/" + id + "/original",
                T0.plus(Duration.ofHours(1)),
                r));
    clock.set(COMPLETED);
    return kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r))
        .reply()
        .getValue();
  }

  private StatusReply<VideoSummary> publishFirstRung() {
    return kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.PublishFirstRung(
                    9000, 360, 640, R360, "videos/v/first.m3u8", Optional.empty(), r))
        .reply();
  }

  private VideoCommand.MarkReady markReady(
      org.apache.pekko.actor.typed.ActorRef<StatusReply<VideoSummary>> r) {
    return new VideoCommand.MarkReady(
        9000,
        360,
        640,
        List.of(R360),
        "videos/v/master.m3u8",
        Optional.empty(),
        Optional.empty(),
        r);
  }

  private Live live() {
    return (Live) kit.getState();
  }

  private List<Object> journal() {
    return kit.persistenceTestKit().persistedInStorage("Video|" + id);
  }

  private VideoEvent.Failed deadlineFailure(Instant at) {
    return new VideoEvent.Failed(id, "c1", REASON, at);
  }

  @Test
  void theReasonSaysHowLongProcessingMayTake() {
    assertThat(REASON)
        .isEqualTo("processing did not finish in time (20 minutes); please upload again");
    assertThat(VideoDeadlines.processingDeadlineReason(Duration.ofMinutes(1)))
        .contains("(1 minute)");
    assertThat(VideoDeadlines.processingDeadlineReason(Duration.ofSeconds(90)))
        .contains("(90 seconds)");
  }

  @Test
  void theDeadlineIsSetWhenTheUploadCompletesAndCarriedInTheEvent() {
    VideoSummary video = processing();
    assertThat(video.status()).isEqualTo(Status.PROCESSING);
    assertThat(video.deadline()).contains(DEADLINE);
    assertThat(journal())
        .last()
        .isEqualTo(new VideoEvent.UploadCompleted(id, "c1", COMPLETED, DEADLINE));
  }

  @Test
  void theTimerFailsAVideoStillProcessingAtItsDeadline() {
    processing();
    manualTime.timePasses(TIMEOUT.minusSeconds(1));
    assertThat(live().video().status()).isEqualTo(Status.PROCESSING);

    clock.set(DEADLINE);
    manualTime.timePasses(Duration.ofSeconds(1));
    // getState queues behind the timer's message, and behind the write it causes
    Live failed = live();
    assertThat(failed.video().status()).isEqualTo(Status.FAILED);
    assertThat(failed.video().failureReason()).contains(REASON);
    assertThat(failed.video().deadline()).isEmpty();
    assertThat(journal()).hasSize(3);
    assertThat(journal()).last().isEqualTo(deadlineFailure(DEADLINE));

    // the upload deadline's timer (T0 + 1h) was replaced, not left to fire
    manualTime.timePasses(Duration.ofHours(2));
    assertThat(live().video().failureReason()).contains(REASON);
    assertThat(journal()).hasSize(3);
  }

  @Test
  void theTimerIsArmedAgainAfterARestart() {
    processing();
    kit.restart();
    assertThat(live().video().status()).isEqualTo(Status.PROCESSING);
    assertThat(live().video().deadline()).contains(DEADLINE);

    manualTime.timePasses(TIMEOUT);
    assertThat(live().video().status()).isEqualTo(Status.FAILED);
    assertThat(journal()).hasSize(3);
    assertThat(journal()).last().isEqualTo(deadlineFailure(COMPLETED));
  }

  @Test
  void aDeadlineThatPassedWhileTheEntityWasDownFailsItOnRecovery() {
    processing();
    clock.set(DEADLINE.plus(Duration.ofHours(1)));
    kit.restart();
    // nothing but the recovery handler acts: no command is sent, the journal is polled
    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              assertThat(journal()).last().isEqualTo(deadlineFailure(clock.instant()));
              return null;
            });
    assertThat(journal()).hasSize(3);
  }

  @Test
  void aCommandReachingAnOverdueVideoFailsItFirst() {
    processing();
    clock.set(DEADLINE); // the scheduler has not fired yet

    var read = kit.<VideoLookup>runCommand(VideoCommand.Get::new);
    assertThat(read.events()).containsExactly(deadlineFailure(DEADLINE));
    assertThat(read.reply().video().orElseThrow().status()).isEqualTo(Status.FAILED);
    assertThat(read.reply().video().orElseThrow().failureReason()).contains(REASON);

    var ready = kit.<StatusReply<VideoSummary>>runCommand(this::markReady);
    assertThat(ready.hasNoEvents()).isTrue();
    assertThat(ready.reply().getError()).hasMessageContaining(REASON);

    manualTime.timePasses(Duration.ofHours(2)); // the timer was cancelled; nothing more happens
    assertThat(journal()).hasSize(3);
  }

  @Test
  void anOverdueTranscodeResultIsRefusedWithTheDeadlineReason() {
    processing();
    clock.set(DEADLINE.plusSeconds(1));
    var ready = kit.<StatusReply<VideoSummary>>runCommand(this::markReady);
    assertThat(ready.events()).containsExactly(deadlineFailure(DEADLINE.plusSeconds(1)));
    assertThat(ready.reply().getError()).hasMessageContaining(REASON);
    assertThat(ready.reply().getError()).isInstanceOf(VideoService.VideoStateException.class);
  }

  @Test
  void anOverdueCompleteUploadRetryFailsItFirst() {
    processing();
    clock.set(DEADLINE);
    var again =
        kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
    assertThat(again.events()).containsExactly(deadlineFailure(DEADLINE));
    assertThat(again.reply().getError()).hasMessageContaining(REASON);
  }

  @Test
  void aVideoReadyBeforeItsDeadlineIsNotFailed() {
    processing();
    publishFirstRung();
    clock.advance(Duration.ofMinutes(5));
    var ready = kit.<StatusReply<VideoSummary>>runCommand(this::markReady);
    assertThat(ready.reply().getValue().status()).isEqualTo(Status.READY);
    assertThat(ready.reply().getValue().deadline()).isEmpty();

    clock.advance(Duration.ofHours(1));
    manualTime.timePasses(Duration.ofHours(1));
    assertThat(live().video().status()).isEqualTo(Status.READY);
    assertThat(journal()).hasSize(4);
    kit.restart();
    assertThat(live().video().status()).isEqualTo(Status.READY);
  }

  @Test
  void publishingTheFirstRungDoesNotExtendTheDeadline() {
    processing();
    clock.advance(Duration.ofMinutes(10));
    manualTime.timePasses(Duration.ofMinutes(10));
    StatusReply<VideoSummary> first = publishFirstRung();
    assertThat(first.getValue().playable()).isTrue();
    assertThat(first.getValue().deadline()).contains(DEADLINE);

    clock.set(DEADLINE);
    manualTime.timePasses(Duration.ofMinutes(10)); // twenty minutes after completion in all
    Live failed = live();
    assertThat(failed.video().status()).isEqualTo(Status.FAILED);
    assertThat(failed.video().failureReason()).contains(REASON);
    assertThat(failed.video().playable()).isFalse();
  }

  @Test
  void anUploadCompletedEventWithoutADeadlineMeansCompletionPlusTheTimeout() {
    clock.set(COMPLETED);
    kit.initialize(
        new VideoEvent.Created(
            id,
            "c1",
            "clip",
            List.of(),
            null,
            10,
            "video/mp4",
            "uploads/" + id + "/original",
            T0.plus(Duration.ofHours(1)),
            T0),
        new VideoEvent.UploadCompleted(id, "c1", COMPLETED, null));
    assertThat(live().video().status()).isEqualTo(Status.PROCESSING);
    assertThat(live().video().deadline()).contains(DEADLINE);

    manualTime.timePasses(TIMEOUT); // and the recovered entity enforces it
    assertThat(live().video().failureReason()).contains(REASON);
  }
}
