package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.video.VideoCommand.ClipAudio;
import io.flick.video.VideoSummary.Rendition;
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

/** A video's sound at READY (chosen, matched or its own new one) and the creator's reuse switch. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoActorSoundTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Rendition R360 =
      new Rendition("360p", 360, 640, 900_000, 800_000, "avc1.64001e,mp4a.40.2", "v/360p.m3u8");
  static final String FP = "AQIDBAUGBwg=";

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

  private void processing(Optional<String> chosenSound) {
    kit.<StatusReply<VideoSummary>>runCommand(
        r ->
            new VideoCommand.Create(
                "c1",
                "clip",
                List.of(),
                chosenSound,
                1_000,
                "video/mp4",
                "uploads/v1",
                T0.plusSeconds(3600),
                r));
    kit.<StatusReply<VideoSummary>>runCommand(r -> new VideoCommand.CompleteUpload("c1", r));
  }

  private List<VideoEvent> ready(Optional<ClipAudio> audio) {
    var result =
        kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.MarkReady(
                    15_000,
                    360,
                    640,
                    List.of(R360),
                    "v/master.m3u8",
                    Optional.of("v/poster.jpg"),
                    Optional.empty(),
                    Optional.empty(),
                    audio,
                    r));
    assertThat(result.reply().isSuccess()).isTrue();
    return result.events();
  }

  private VideoSummary video() {
    return kit.<VideoLookup>runCommand(VideoCommand.Get::new).reply().video().orElseThrow();
  }

  @Test
  void ownAudioMatchingNoSoundBecomesANewSoundWithTheVideosId() {
    processing(Optional.empty());
    List<VideoEvent> events = ready(Optional.of(new ClipAudio(Optional.empty(), FP, 15_000)));
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isEqualTo(new VideoEvent.SoundCreated("v1", "c1", 15_000, FP, T0));
    assertThat(((VideoEvent.Readied) events.get(1)).soundId()).isEqualTo("v1");
    assertThat(video().soundId()).contains("v1");
  }

  @Test
  void ownAudioMatchingAKnownSoundUsesIt() {
    processing(Optional.empty());
    List<VideoEvent> events = ready(Optional.of(new ClipAudio(Optional.of("s9"), FP, 15_000)));
    assertThat(events).hasSize(1);
    assertThat(((VideoEvent.Readied) events.get(0)).soundId()).isEqualTo("s9");
    assertThat(video().soundId()).contains("s9");
  }

  @Test
  void aChosenSoundWinsOverTheClipsOwnAudio() {
    processing(Optional.of("s1"));
    List<VideoEvent> events = ready(Optional.of(new ClipAudio(Optional.empty(), FP, 15_000)));
    assertThat(events).hasSize(1);
    assertThat(((VideoEvent.Readied) events.get(0)).soundId()).isEqualTo("s1");
  }

  @Test
  void withoutAudioThereIsNoSound() {
    processing(Optional.empty());
    List<VideoEvent> events = ready(Optional.empty());
    assertThat(events).hasSize(1);
    assertThat(((VideoEvent.Readied) events.get(0)).soundId()).isNull();
    assertThat(video().soundId()).isEmpty();
  }

  @Test
  void onlyTheCreatorTurnsReuseOffAndOnAgain() {
    processing(Optional.empty());
    ready(Optional.of(new ClipAudio(Optional.empty(), FP, 15_000)));
    assertThat(video().reuseAllowed()).isTrue();

    new CreatorSwitch(
            VideoCommand.SetReuse::new,
            new VideoEvent.ReuseSet("v1", "c1", false, T0),
            VideoSummary::reuseAllowed)
        .onlyTheCreatorTurnsItOffAndOnAgain(kit, video -> true);
  }
}
