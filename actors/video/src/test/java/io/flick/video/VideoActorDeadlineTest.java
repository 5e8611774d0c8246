package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.video.VideoState.Live;
import io.flick.video.VideoSummary.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The upload deadline. The scheduler runs on {@link ManualTime} and the entity's clock is a {@link
 * TestClock}, so every test moves time by hand and syncs on state or journal, never on sleep.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoActorDeadlineTest {
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

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String PID = "Video|v1";

  private final TestClock clock = new TestClock(T0);
  private final EventSourcedBehaviorTestKit<VideoCommand, VideoEvent, VideoState> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), VideoActor.create("v1", clock));

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private VideoSummary create(Instant deadline) {
    return kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.Create(
                    "c1",
                    "clip",
                    List.of(),
                    Optional.empty(),
                    10,
                    "video/mp4",
                    "uploads/v1/original",
                    deadline,
                    r))
        .reply()
        .getValue();
  }

  private Status status() {
    return ((Live) kit.getState()).video().status();
  }

  private List<Object> journal() {
    return kit.persistenceTestKit().persistedInStorage(PID);
  }

  private static final VideoEvent.Failed deadlineFailure(Instant at) {
    return new VideoEvent.Failed("v1", "c1", VideoDeadlines.DEADLINE_REASON, at);
  }

  @Test
  void theTimerFailsAnUploadThatIsNotCompletedInTime() {
    create(T0.plus(Duration.ofHours(1)));
    manualTime.timePasses(Duration.ofMinutes(59));
    assertThat(status()).isEqualTo(Status.UPLOADING);

    clock.advance(Duration.ofHours(1));
    manualTime.timePasses(Duration.ofMinutes(1));
    // getState queues behind the timer's message, and behind the write it causes
    Live failed = (Live) kit.getState();
    assertThat(failed.video().status()).isEqualTo(Status.FAILED);
    assertThat(failed.video().failureReason()).contains(VideoDeadlines.DEADLINE_REASON);
    assertThat(journal()).last().isEqualTo(deadlineFailure(T0.plus(Duration.ofHours(1))));
  }

  @Test
  void aCompletedUploadIsNotFailedByItsDeadline() {
    // the upload deadline comes before the processing deadline (20 minutes after completion)
    create(T0.plus(Duration.ofMinutes(10)));
    kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
    clock.advance(Duration.ofMinutes(15));
    manualTime.timePasses(Duration.ofMinutes(15));
    assertThat(status()).isEqualTo(Status.PROCESSING);
    assertThat(journal()).hasSize(2);

    // what fails it later is the processing deadline, not the upload's (this leaves no timer armed)
    clock.advance(Duration.ofMinutes(5));
    manualTime.timePasses(Duration.ofMinutes(5));
    Live failed = (Live) kit.getState();
    assertThat(failed.video().failureReason())
        .contains(VideoDeadlines.processingDeadlineReason(Duration.ofMinutes(20)));
    assertThat(journal()).hasSize(3);
  }

  @Test
  void theTimerIsArmedAgainAfterARestart() {
    create(T0.plus(Duration.ofHours(1)));
    kit.restart();
    assertThat(status()).isEqualTo(Status.UPLOADING);

    manualTime.timePasses(Duration.ofMinutes(61));
    assertThat(status()).isEqualTo(Status.FAILED);
    assertThat(journal()).hasSize(2);
    assertThat(journal()).last().isInstanceOf(VideoEvent.Failed.class);
  }

  @Test
  void aDeadlineThatPassedWhileTheEntityWasDownFailsItOnRecovery() {
    create(T0.plus(Duration.ofHours(1)));
    clock.advance(Duration.ofHours(3));
    kit.restart();
    // nothing but the recovery handler acts: no command is sent, the journal is polled
    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              assertThat(journal()).last().isEqualTo(deadlineFailure(T0.plus(Duration.ofHours(3))));
              return null;
            });
    assertThat(journal()).hasSize(2);
  }

  @Test
  void aDeadlineAlreadyPastAtCreateFailsRightAway() {
    create(T0.minusSeconds(1));
    assertThat(status()).isEqualTo(Status.FAILED);
    assertThat(journal()).hasSize(2);
  }

  @Test
  void aCommandReachingAnOverdueUploadFailsItFirst() {
    create(T0.plus(Duration.ofHours(1)));
    clock.advance(Duration.ofHours(2)); // the scheduler has not fired yet

    var read = kit.<VideoLookup>runCommand(VideoCommand.Get::new);
    assertThat(read.events()).containsExactly(deadlineFailure(T0.plus(Duration.ofHours(2))));
    assertThat(read.reply().video().orElseThrow().status()).isEqualTo(Status.FAILED);

    var complete =
        kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
    assertThat(complete.hasNoEvents()).isTrue();
    assertThat(complete.reply().getError()).hasMessageContaining(VideoDeadlines.DEADLINE_REASON);

    manualTime.timePasses(Duration.ofHours(2)); // the timer was cancelled; nothing more happens
    assertThat(journal()).hasSize(2);
  }

  @Test
  void anOverdueCompleteUploadIsRefusedWithTheDeadlineReason() {
    create(T0.plus(Duration.ofHours(1)));
    clock.advance(Duration.ofHours(1));
    var complete =
        kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
    assertThat(complete.events()).hasSize(1);
    assertThat(complete.reply().getError()).hasMessageContaining(VideoDeadlines.DEADLINE_REASON);
  }

  @Test
  void aDeadlineBeyondTheSchedulersReachIsReArmedUntilItPasses() {
    create(T0.plus(Duration.ofDays(50)));
    clock.advance(Duration.ofDays(30));
    manualTime.timePasses(Duration.ofDays(30));
    assertThat(status()).isEqualTo(Status.UPLOADING);

    clock.advance(Duration.ofDays(20));
    manualTime.timePasses(Duration.ofDays(20));
    assertThat(status()).isEqualTo(Status.FAILED);
  }
}
