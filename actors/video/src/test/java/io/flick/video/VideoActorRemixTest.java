package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.video.VideoSummary.RemixKind;
import io.flick.video.VideoSummary.RemixOf;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A remix names its source in its own facts from creation; the creator's remix switch. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoActorRemixTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final RemixOf STITCH =
      new RemixOf("src1", RemixKind.STITCH, "alice", "alice", 1_000, 4_000);

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

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      create(Optional<String> sound, Optional<RemixOf> remix) {
    return kit.runCommand(
        r ->
            new VideoCommand.Create(
                "c1",
                "clip",
                List.of(),
                sound,
                1_000,
                "video/mp4",
                "uploads/v1",
                T0.plusSeconds(3600),
                remix,
                r));
  }

  private VideoSummary video() {
    return kit.<VideoLookup>runCommand(VideoCommand.Get::new).reply().video().orElseThrow();
  }

  @Test
  void aRemixIsCreatedWithItsSourceInTheSameWrite() {
    var result = create(Optional.empty(), Optional.of(STITCH));
    assertThat(result.reply().isSuccess()).isTrue();
    assertThat(result.events())
        .containsExactly(
            result.events().get(0),
            new VideoEvent.Remixed(
                "v1", "c1", "src1", RemixKind.STITCH, "alice", "alice", 1_000, 4_000, T0));
    assertThat(result.reply().getValue().remixOf()).contains(STITCH);
    // kept through the lifecycle and a restart
    kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
    kit.restart();
    assertThat(video().remixOf()).contains(STITCH);
  }

  @Test
  void aVideoIsNotARemixByDefaultAndAllowsRemixes() {
    var result = create(Optional.empty(), Optional.empty());
    assertThat(result.events()).hasSize(1);
    assertThat(video().remixOf()).isEmpty();
    assertThat(video().remixAllowed()).isTrue();
  }

  @Test
  void aRemixWithASoundOrABadRangeIsRefusedAndNothingIsWritten() {
    var withSound = create(Optional.of("s1"), Optional.of(STITCH));
    assertThat(withSound.reply().isError()).isTrue();
    assertThat(withSound.hasNoEvents()).isTrue();
    var tooLong =
        create(
            Optional.empty(),
            Optional.of(new RemixOf("src1", RemixKind.STITCH, "alice", null, 0, 6_000)));
    assertThat(tooLong.reply().isError()).isTrue();
    assertThat(tooLong.reply().getError()).hasMessageContaining("1000 to 5000 ms");
    var itself =
        create(Optional.empty(), Optional.of(new RemixOf("v1", RemixKind.DUET, "c1", null, 0, 0)));
    assertThat(itself.reply().isError()).isTrue();
    assertThat(itself.hasNoEvents()).isTrue();
  }

  @Test
  void onlyTheCreatorTurnsRemixesOffAndOnAgainIndependentlyOfReuse() {
    create(Optional.empty(), Optional.empty());
    new CreatorSwitch(
            VideoCommand.SetRemix::new,
            new VideoEvent.RemixSet("v1", "c1", false, T0),
            VideoSummary::remixAllowed)
        .onlyTheCreatorTurnsItOffAndOnAgain(kit, VideoSummary::reuseAllowed);
  }
}
