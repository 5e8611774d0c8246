package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.VideoSummary.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Instant DEADLINE = T0.plus(Duration.ofHours(1));
  // flick.transcode.processing-timeout, from this module's reference.conf
  static final Duration PROCESSING_TIMEOUT = Duration.ofMinutes(20);
  static final String SOURCE = "uploads/v1/original";
  static final Rendition R360 =
      new Rendition(
          "360p", 360, 640, 900_000, 800_000, "avc1.64001e,mp4a.40.2", "videos/v1/360p/index.m3u8");
  static final Rendition R720 =
      new Rendition(
          "720p",
          720,
          1280,
          3_000_000,
          2_600_000,
          "avc1.64001f,mp4a.40.2",
          "videos/v1/720p/index.m3u8");
  static final String FIRST_MASTER = "videos/v1/master-first.m3u8";
  static final String MASTER = "videos/v1/master.m3u8";
  static final String POSTER = "videos/v1/poster.jpg";
  static final String DHASH = "AQIDBAUGBwg=";

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

  // ---- commands, as the upload route and the transcode pipeline send them

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      create(String creatorId, String sourceKey) {
    return kit.runCommand(
        r ->
            new VideoCommand.Create(
                creatorId,
                "  First clip  ",
                List.of("#Cats", "cats", "##DOGS", " ", "Dogs"),
                Optional.of("s1"),
                1_000_000,
                "video/mp4",
                sourceKey,
                DEADLINE,
                r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      completeUpload(String creatorId) {
    return kit.runCommand(r -> new VideoCommand.CompleteUpload(creatorId, r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      publishFirstRung() {
    return kit.runCommand(
        r ->
            new VideoCommand.PublishFirstRung(
                15_000, 720, 1280, R360, FIRST_MASTER, Optional.of(POSTER), r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      markReady() {
    return kit.runCommand(
        r ->
            new VideoCommand.MarkReady(
                15_000,
                720,
                1280,
                List.of(R360, R720),
                MASTER,
                Optional.empty(),
                Optional.of(DHASH),
                r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      markReady(List<Float> content) {
    return kit.runCommand(
        r ->
            new VideoCommand.MarkReady(
                15_000,
                720,
                1280,
                List.of(R360, R720),
                MASTER,
                Optional.empty(),
                Optional.of(DHASH),
                Optional.empty(),
                content,
                r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      markFailed(String reason) {
    return kit.runCommand(r -> new VideoCommand.MarkFailed(reason, r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<Done>> delete(
      String requesterId) {
    return kit.runCommand(r -> new VideoCommand.Delete(requesterId, r));
  }

  private Optional<VideoSummary> get() {
    return kit.<VideoLookup>runCommand(VideoCommand.Get::new).reply().video();
  }

  @Test
  void theContentVectorOfMarkReadyIsStoredWithTheReadyFact() {
    create("c1", SOURCE);
    completeUpload("c1");
    publishFirstRung();
    List<Float> vector = List.of(0.6f, -0.8f);
    var ready = markReady(vector);
    assertThat(((VideoEvent.Readied) ready.events().get(0)).content()).isEqualTo(vector);
    assertThat(ready.reply().getValue().media().content()).isEqualTo(vector);
    assertThat(get().orElseThrow().media().content()).isEqualTo(vector);
  }

  @Test
  void aVideoWithoutAContentVectorIsReadyWithNone() {
    create("c1", SOURCE);
    completeUpload("c1");
    publishFirstRung();
    var ready = markReady(List.of());
    assertThat(((VideoEvent.Readied) ready.events().get(0)).content()).isNull();
    assertThat(ready.reply().getValue().media().content()).isEmpty();
  }

  @Test
  void aContentVectorThatIsNotNumbersIsRefused() {
    create("c1", SOURCE);
    completeUpload("c1");
    publishFirstRung();
    var refused = markReady(List.of(0.5f, Float.NaN));
    assertThat(refused.reply().isError()).isTrue();
    assertThat(refused.hasNoEvents()).isTrue();
  }

  private void toReady() {
    create("c1", SOURCE);
    completeUpload("c1");
    publishFirstRung();
    markReady();
  }

  // ---- lifecycle

  @Test
  void goesFromUploadingThroughAPlayableFirstRungToReady() {
    var created = create("c1", SOURCE);
    assertThat(created.events())
        .containsExactly(
            new VideoEvent.Created(
                "v1",
                "c1",
                "First clip",
                List.of("cats", "dogs"),
                "s1",
                1_000_000,
                "video/mp4",
                SOURCE,
                DEADLINE,
                T0));
    VideoSummary uploading = created.reply().getValue();
    assertThat(uploading.status()).isEqualTo(Status.UPLOADING);
    assertThat(uploading.hashtags()).containsExactly("cats", "dogs");
    assertThat(uploading.soundId()).contains("s1");
    assertThat(uploading.createdAt()).isEqualTo(T0);
    assertThat(uploading.upload())
        .isEqualTo(new VideoSummary.Upload(1_000_000, "video/mp4", SOURCE, DEADLINE));
    assertThat(uploading.playable()).isFalse();
    assertThat(uploading.counts()).isEqualTo(new VideoSummary.Counts(0, 0, 0, 0));
    assertThat(uploading.deadline()).contains(DEADLINE);

    clock.advance(Duration.ofMinutes(1));
    var completed = completeUpload("c1");
    assertThat(completed.events())
        .containsExactly(
            new VideoEvent.UploadCompleted(
                "v1", "c1", T0.plusSeconds(60), T0.plusSeconds(60).plus(PROCESSING_TIMEOUT)));
    assertThat(completed.reply().getValue().status()).isEqualTo(Status.PROCESSING);
    assertThat(completed.reply().getValue().playable()).isFalse();
    assertThat(completed.reply().getValue().deadline())
        .contains(T0.plusSeconds(60).plus(PROCESSING_TIMEOUT));

    var first = publishFirstRung();
    assertThat(first.events())
        .containsExactly(
            new VideoEvent.FirstRungPublished(
                "v1", "c1", 15_000, 720, 1280, R360, FIRST_MASTER, POSTER, T0.plusSeconds(60)));
    VideoSummary watchable = first.reply().getValue();
    assertThat(watchable.status()).isEqualTo(Status.PROCESSING);
    assertThat(watchable.playable()).isTrue();
    assertThat(watchable.media().renditions()).containsExactly(R360);
    assertThat(watchable.media().masterPlaylistKey()).contains(FIRST_MASTER);
    assertThat(watchable.media().posterKey()).contains(POSTER);
    assertThat(watchable.deadline()).contains(T0.plusSeconds(60).plus(PROCESSING_TIMEOUT));

    var ready = markReady();
    assertThat(ready.events())
        .containsExactly(
            new VideoEvent.Readied(
                "v1",
                "c1",
                List.of("cats", "dogs"),
                "s1",
                15_000,
                720,
                1280,
                List.of(R360, R720),
                MASTER,
                POSTER, // kept from the first rung: MarkReady named none
                DHASH,
                null,
                T0.plusSeconds(60)));
    VideoSummary done = ready.reply().getValue();
    assertThat(done.status()).isEqualTo(Status.READY);
    assertThat(done.playable()).isTrue();
    assertThat(done.failureReason()).isEmpty();
    assertThat(done.deadline()).isEmpty();
    assertThat(done.media())
        .isEqualTo(
            new VideoSummary.Media(
                15_000,
                720,
                1280,
                List.of(R360, R720),
                Optional.of(MASTER),
                Optional.of(POSTER),
                Optional.of(DHASH)));
    assertThat(get()).contains(done);
  }

  @Test
  void everyCommandRepeatedInTheStateItProducedSucceedsWithoutANewEvent() {
    VideoSummary created = create("c1", SOURCE).reply().getValue();
    var again = create("c1", SOURCE);
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(created);

    completeUpload("c1");
    var completedAgain = completeUpload("c1");
    assertThat(completedAgain.hasNoEvents()).isTrue();
    assertThat(completedAgain.reply().getValue().status()).isEqualTo(Status.PROCESSING);

    publishFirstRung();
    var firstAgain = publishFirstRung();
    assertThat(firstAgain.hasNoEvents()).isTrue();
    assertThat(firstAgain.reply().getValue().playable()).isTrue();

    VideoSummary ready = markReady().reply().getValue();
    var readyAgain = markReady();
    assertThat(readyAgain.hasNoEvents()).isTrue();
    assertThat(readyAgain.reply().getValue()).isEqualTo(ready);

    // late messages from a retried pipeline or route are harmless once READY
    for (var late : List.of(publishFirstRung(), completeUpload("c1"), create("c1", SOURCE))) {
      assertThat(late.hasNoEvents()).isTrue();
      assertThat(late.reply().getValue()).isEqualTo(ready);
    }

    assertThat(delete("c1").events()).hasSize(1);
    var deletedAgain = delete("c1");
    assertThat(deletedAgain.hasNoEvents()).isTrue();
    assertThat(deletedAgain.reply().getValue()).isEqualTo(Done.getInstance());
  }

  @Test
  void markFailedIsIdempotentAndFailedIsFinal() {
    create("c1", SOURCE);
    completeUpload("c1");
    var failed = markFailed(" no video stream ");
    assertThat(failed.events())
        .containsExactly(new VideoEvent.Failed("v1", "c1", "no video stream", T0));
    assertThat(failed.reply().getValue().status()).isEqualTo(Status.FAILED);
    assertThat(failed.reply().getValue().failureReason()).contains("no video stream");
    assertThat(failed.reply().getValue().playable()).isFalse();
    assertThat(failed.reply().getValue().deadline()).isEmpty();

    var again = markFailed("something else");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().failureReason()).contains("no video stream");

    for (var refused : List.of(markReady(), publishFirstRung(), completeUpload("c1"))) {
      assertThat(refused.hasNoEvents()).isTrue();
      assertThat(refused.reply().isError()).isTrue();
      assertThat(refused.reply().getError()).hasMessageContaining("no video stream");
    }
    assertThat(get().orElseThrow().status()).isEqualTo(Status.FAILED);
  }

  @Test
  void anUploadCanFailBeforeItCompletes() {
    create("c1", SOURCE);
    var failed = markFailed("the uploaded object is missing");
    assertThat(failed.events()).hasSize(1);
    assertThat(failed.reply().getValue().status()).isEqualTo(Status.FAILED);
  }

  @Test
  void aLateFailureCannotUndoAReadyVideo() {
    toReady();
    var late = markFailed("worker timed out");
    assertThat(late.hasNoEvents()).isTrue();
    assertThat(late.reply().isError()).isTrue();
    assertThat(late.reply().getError()).isInstanceOf(VideoService.VideoStateException.class);
    assertThat(get().orElseThrow().status()).isEqualTo(Status.READY);
  }

  @Test
  void transcodingResultsAreRefusedBeforeTheUploadCompletes() {
    create("c1", SOURCE);
    assertThat(publishFirstRung().reply().isError()).isTrue();
    var ready = markReady();
    assertThat(ready.hasNoEvents()).isTrue();
    assertThat(ready.reply().getError()).hasMessageContaining("not complete");
  }

  @Test
  void aRepublishedFirstRungWithOtherKeysIsRecorded() {
    create("c1", SOURCE);
    completeUpload("c1");
    publishFirstRung();
    var retried =
        kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.PublishFirstRung(
                    15_000, 720, 1280, R360, "videos/v1/retry/master.m3u8", Optional.empty(), r));
    assertThat(retried.events()).hasSize(1);
    assertThat(retried.reply().getValue().media().masterPlaylistKey())
        .contains("videos/v1/retry/master.m3u8");
    assertThat(retried.reply().getValue().media().posterKey()).contains(POSTER);
  }

  // ---- who may do what

  @Test
  void onlyTheCreatorCanCompleteTheUploadOrDelete() {
    create("c1", SOURCE);
    var stranger = completeUpload("c2");
    assertThat(stranger.hasNoEvents()).isTrue();
    assertThat(stranger.reply().getError()).hasMessageStartingWith("only the creator can");
    assertThat(stranger.reply().getError()).isInstanceOf(VideoService.NotCreatorException.class);

    completeUpload("c1");
    assertThat(completeUpload("c2").reply().isError()).isTrue();

    var strangerDelete = delete("c2");
    assertThat(strangerDelete.hasNoEvents()).isTrue();
    assertThat(strangerDelete.reply().getError()).hasMessageStartingWith("only the creator can");
    assertThat(get()).isPresent();
  }

  @Test
  void createIsRefusedForAnotherUploadUnderTheSameId() {
    create("c1", SOURCE);
    for (var other : List.of(create("c2", SOURCE), create("c1", "uploads/other"))) {
      assertThat(other.hasNoEvents()).isTrue();
      assertThat(other.reply().getError()).hasMessageContaining("already exists");
    }
  }

  @Test
  void createValidatesItsInput() {
    var tooManyTags =
        kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.Create(
                    "c1",
                    "",
                    IntStream.range(0, 31).mapToObj(i -> "#tag" + i).toList(),
                    Optional.empty(),
                    10,
                    "video/mp4",
                    SOURCE,
                    DEADLINE,
                    r));
    assertThat(tooManyTags.hasNoEvents()).isTrue();
    assertThat(tooManyTags.reply().getError()).isInstanceOf(IllegalArgumentException.class);

    var empty =
        kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.Create(
                    "c1", null, null, Optional.empty(), 0, "video/mp4", SOURCE, DEADLINE, r));
    assertThat(empty.reply().getError()).hasMessageContaining("sizeBytes");

    // thirty distinct tags after de-duplication are fine
    var thirty =
        kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.Create(
                    "c1",
                    null,
                    IntStream.range(0, 60).mapToObj(i -> "#Tag" + (i % 30)).toList(),
                    Optional.of(" "),
                    10,
                    "video/mp4",
                    SOURCE,
                    DEADLINE,
                    r));
    assertThat(thirty.reply().getValue().hashtags()).hasSize(30).startsWith("tag0", "tag1");
    assertThat(thirty.reply().getValue().soundId()).isEmpty();
    assertThat(thirty.reply().getValue().caption()).isEmpty();
  }

  @Test
  void anUnknownVideoIsNotFound() {
    assertThat(get()).isEmpty();
    var complete = completeUpload("c1");
    assertThat(complete.hasNoEvents()).isTrue();
    assertThat(complete.reply().getError()).isInstanceOf(VideoService.VideoNotFoundException.class);
    assertThat(markReady().reply().isError()).isTrue();
    assertThat(markFailed("x").reply().isError()).isTrue();
    assertThat(delete("c1").reply().isError()).isTrue();
  }

  // ---- delete

  @Test
  void deleteNamesEveryObjectAndTheVideoIsGoneAfterwards() {
    toReady();
    var deleted = delete("c1");
    assertThat(deleted.reply().getValue()).isEqualTo(Done.getInstance());
    assertThat(deleted.events()).hasSize(1);
    var event = (VideoEvent.Deleted) deleted.events().get(0);
    assertThat(event.videoId()).isEqualTo("v1");
    assertThat(event.creatorId()).isEqualTo("c1");
    assertThat(event.hashtags()).containsExactly("cats", "dogs");
    assertThat(event.soundId()).isEqualTo("s1");
    assertThat(event.keyPrefix()).isEqualTo("videos/v1/");
    assertThat(event.keys())
        .containsExactlyInAnyOrder(
            SOURCE, FIRST_MASTER, POSTER, R360.playlistKey(), MASTER, R720.playlistKey());

    assertThat(get()).isEmpty();
    assertThat(kit.getState()).isEqualTo(new VideoState.Gone("v1", "c1", T0));
    for (var refused :
        List.of(create("c1", SOURCE), completeUpload("c1"), markReady(), markFailed("x"))) {
      assertThat(refused.hasNoEvents()).isTrue();
      assertThat(refused.reply().getError())
          .isInstanceOf(VideoService.VideoNotFoundException.class);
    }
    assertThat(delete("c2").reply().isError()).isTrue();

    kit.restart();
    assertThat(get()).isEmpty();
  }

  @Test
  void anUploadingVideoCanBeDeleted() {
    create("c1", SOURCE);
    var deleted = delete("c1");
    assertThat(((VideoEvent.Deleted) deleted.events().get(0)).keys()).containsExactly(SOURCE);
    assertThat(get()).isEmpty();
  }

  // ---- moderation

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      hold(String moderatorId, String reason) {
    return kit.runCommand(r -> new VideoCommand.Hold(moderatorId, reason, r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<VideoSummary>>
      release(String moderatorId) {
    return kit.runCommand(r -> new VideoCommand.Release(moderatorId, r));
  }

  private CommandResultWithReply<VideoCommand, VideoEvent, VideoState, StatusReply<Done>> remove(
      String moderatorId, String reason) {
    return kit.runCommand(r -> new VideoCommand.Remove(moderatorId, reason, r));
  }

  @Test
  void aHeldVideoIsNotPlayableUntilAModeratorReleasesIt() {
    toReady();
    var held = hold("m1", " spam ");
    assertThat(held.events())
        .containsExactly(
            new VideoEvent.Held("v1", "c1", List.of("cats", "dogs"), "s1", "m1", "spam", T0));
    assertThat(held.reply().getValue().status()).isEqualTo(Status.HELD);
    assertThat(get().orElseThrow().playable()).isFalse();
    assertThat(hold("m2", "again").hasNoEvents()).isTrue();
    // the pipeline's retries and the creator's own retries change nothing
    assertThat(markReady().hasNoEvents()).isTrue();
    assertThat(get().orElseThrow().status()).isEqualTo(Status.HELD);

    kit.restart();
    assertThat(get().orElseThrow().status()).isEqualTo(Status.HELD);

    var released = release("m1");
    assertThat(released.events()).containsExactly(new VideoEvent.Released("v1", "c1", "m1", T0));
    VideoSummary video = get().orElseThrow();
    assertThat(video.status()).isEqualTo(Status.READY);
    assertThat(video.playable()).isTrue();
    assertThat(video.media().renditions()).containsExactly(R360, R720);
    assertThat(release("m1").hasNoEvents()).isTrue();
  }

  @Test
  void theModerationHookHoldsAVideoBeforeItIsEverReady() {
    create("c1", SOURCE);
    completeUpload("c1");
    var result =
        kit.<StatusReply<VideoSummary>>runCommand(
            r ->
                new VideoCommand.MarkReady(
                    15_000,
                    720,
                    1280,
                    List.of(R360, R720),
                    MASTER,
                    Optional.of(POSTER),
                    Optional.of(DHASH),
                    Optional.of("caption matches the blocklist"),
                    r));
    assertThat(result.events()).hasSize(2);
    assertThat(result.events().get(0)).isInstanceOf(VideoEvent.Readied.class);
    assertThat(result.events().get(1))
        .isEqualTo(
            new VideoEvent.Held(
                "v1",
                "c1",
                List.of("cats", "dogs"),
                "s1",
                null,
                "caption matches the blocklist",
                T0));
    assertThat(result.reply().getValue().status()).isEqualTo(Status.HELD);
    assertThat(result.reply().getValue().playable()).isFalse();
  }

  @Test
  void onlyATranscodedVideoCanBeHeldAndHoldingNeedsAReason() {
    create("c1", SOURCE);
    assertThat(hold("m1", "spam").reply().getError())
        .isInstanceOf(VideoService.VideoStateException.class);
    completeUpload("c1");
    publishFirstRung();
    markReady();
    assertThat(hold("m1", " ").reply().getError()).isInstanceOf(IllegalArgumentException.class);
    assertThat(hold(null, "spam").reply().getError()).isInstanceOf(IllegalArgumentException.class);
    assertThat(release("m1").hasNoEvents()).isTrue();
  }

  @Test
  void aRemovedVideoIsGoneWithItsMediaNamedForRemoval() {
    toReady();
    hold("m1", "nudity");
    var removed = remove("m1", "nudity confirmed");
    assertThat(removed.reply().getValue()).isEqualTo(Done.getInstance());
    var event = (VideoEvent.Removed) removed.events().get(0);
    assertThat(event.moderatorId()).isEqualTo("m1");
    assertThat(event.reason()).isEqualTo("nudity confirmed");
    assertThat(event.keyPrefix()).isEqualTo("videos/v1/");
    assertThat(event.keys()).contains(SOURCE, MASTER, R720.playlistKey());
    assertThat(get()).isEmpty();
    assertThat(remove("m1", "again").hasNoEvents()).isTrue();
    assertThat(release("m1").reply().getError())
        .isInstanceOf(VideoService.VideoNotFoundException.class);
    kit.restart();
    assertThat(get()).isEmpty();
  }

  // ---- persistence

  @Test
  void stateSurvivesARestart() {
    create("c1", SOURCE);
    completeUpload("c1");
    publishFirstRung();
    VideoSummary before = get().orElseThrow();
    var restarted = kit.restart();
    assertThat(restarted.state()).isInstanceOf(VideoState.Processing.class);
    assertThat(get()).contains(before);

    markReady();
    kit.restart();
    VideoSummary after = get().orElseThrow();
    assertThat(after.status()).isEqualTo(Status.READY);
    assertThat(after.media().renditions()).containsExactly(R360, R720);
  }
}
