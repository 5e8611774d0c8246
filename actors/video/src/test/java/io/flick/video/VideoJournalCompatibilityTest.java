package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.video.VideoEvent.CountsFlushed;
import io.flick.video.VideoEvent.Created;
import io.flick.video.VideoEvent.Deleted;
import io.flick.video.VideoEvent.Failed;
import io.flick.video.VideoEvent.FirstRungPublished;
import io.flick.video.VideoEvent.Readied;
import io.flick.video.VideoEvent.UploadCompleted;
import io.flick.video.VideoState.Empty;
import io.flick.video.VideoState.Gone;
import io.flick.video.VideoState.Processing;
import io.flick.video.VideoState.Ready;
import io.flick.video.VideoState.Uploading;
import io.flick.video.VideoSummary.Rendition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Events and snapshots written before VideoActor was split into files (nested in VideoActor, so
 * named {@code io.flick.video.VideoActor$Created} and so on) still read, into the classes that hold
 * them now. {@code journal/video-actor-before-split.txt} holds what the code of that time wrote for
 * the values below: serializer id, manifest, base64 bytes, one per line.
 */
class VideoJournalCompatibilityTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Serialization serialization = SerializationExtension.get(testKit.system());

  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
  private static final Rendition R360 =
      new Rendition("360p", 360, 640, 900_000, 800_000, "avc1.64001e", "videos/v1/360p.m3u8");
  private static final Rendition R720 =
      new Rendition("720p", 720, 1280, 2_800_000, 2_500_000, "avc1.64001f", "videos/v1/720p.m3u8");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The values the old code serialized, in the file's order, built with today's classes. */
  private static List<Object> expected() {
    var created =
        new Created(
            "v1",
            "alice",
            "hello #fyp",
            List.of("fyp", "cats"),
            "s1",
            1234,
            "video/mp4",
            "uploads/v1/original",
            T.plusSeconds(3600),
            T);
    var completed = new UploadCompleted("v1", "alice", T.plusSeconds(10), T.plusSeconds(1210));
    var firstRung =
        new FirstRungPublished(
            "v1",
            "alice",
            15_000,
            720,
            1280,
            R360,
            "videos/v1/master.m3u8",
            "videos/v1/poster.jpg",
            T.plusSeconds(20));
    var readied =
        new Readied(
            "v1",
            "alice",
            List.of("fyp", "cats"),
            "s1",
            15_000,
            720,
            1280,
            List.of(R360, R720),
            "videos/v1/master.m3u8",
            "videos/v1/poster.jpg",
            "AAECAwQFBgc=",
            null,
            T.plusSeconds(30));
    var flushed =
        new CountsFlushed("v1", new CountDeltas(10, 3, -1, 2, 45_000, 4), Map.of(0, 17L, 3, 42L));

    List<Object> all = new ArrayList<>();
    all.add(created);
    all.add(
        new Created(
            "v2",
            "bob",
            "",
            List.of(),
            null,
            99,
            "video/webm",
            "uploads/v2/original",
            T.plusSeconds(60),
            T));
    all.add(completed);
    all.add(new UploadCompleted("v1", "alice", T.plusSeconds(10), null));
    all.add(firstRung);
    all.add(readied);
    all.add(
        new Readied(
            "v3",
            "carol",
            List.of(),
            null,
            1_000,
            1080,
            1920,
            List.of(R720),
            "videos/v3/master.m3u8",
            null,
            null,
            null,
            T.plusSeconds(30)));
    all.add(
        new Failed("v2", "bob", "upload was not completed before its deadline", T.plusSeconds(61)));
    all.add(
        new Deleted(
            "v1",
            "alice",
            List.of("fyp", "cats"),
            "s1",
            List.of("uploads/v1/original", "videos/v1/master.m3u8"),
            "videos/v1/",
            T.plusSeconds(99)));
    all.add(flushed);
    // snapshots, made by the event handler's own transitions
    Uploading uploading = Uploading.created(created);
    Processing processing = uploading.apply(completed, Duration.ofMinutes(20)).apply(firstRung);
    all.add(new Empty());
    all.add(uploading);
    all.add(processing);
    all.add((Ready) processing.apply(readied).counted(flushed));
    all.add(uploading.apply(new Failed("v1", "alice", "too slow", T.plusSeconds(61))));
    all.add(new Gone("v1", "alice", T.plusSeconds(99)));
    return all;
  }

  private static List<String[]> written() throws IOException {
    try (InputStream in =
        VideoJournalCompatibilityTest.class.getResourceAsStream(
            "/journal/video-actor-before-split.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(line -> line.split(" "))
          .toList();
    }
  }

  @Test
  void eventsAndSnapshotsWrittenUnderTheOldNamesReadIntoTheNewClasses() throws IOException {
    List<String[]> written = written();
    List<Object> expected = expected();
    assertThat(written).hasSameSizeAs(expected);
    for (int i = 0; i < written.size(); i++) {
      String[] line = written.get(i);
      assertThat(line[1]).startsWith("io.flick.video.VideoActor$");
      Object read =
          serialization
              .deserialize(Base64.getDecoder().decode(line[2]), Integer.parseInt(line[0]), line[1])
              .get();
      assertThat(read).as(line[1]).isEqualTo(expected.get(i));
    }
  }

  @Test
  void everyRenamedClassIsRegistered() throws IOException {
    List<String> oldNames = written().stream().map(line -> line[1]).distinct().toList();
    assertThat(VideoJournalRenames.NEW_NAMES).containsOnlyKeys(oldNames);
    var config = testKit.system().settings().config();
    for (String oldName : oldNames) {
      assertThat(config.getString("pekko.serialization.jackson.migrations.\"" + oldName + "\""))
          .isEqualTo(VideoJournalRenames.class.getName());
    }
  }

  @Test
  void aReadyFactWrittenBeforeContentVectorsReadsAsHavingNone() throws IOException {
    for (String[] line : written()) {
      Object read =
          serialization
              .deserialize(Base64.getDecoder().decode(line[2]), Integer.parseInt(line[0]), line[1])
              .get();
      if (read instanceof Readied readied) {
        assertThat(readied.content()).isNull();
      }
      if (read instanceof Ready ready) {
        assertThat(ready.video().media().content()).isEmpty();
      }
    }
  }

  @Test
  void aContentVectorIsKeptByTheJournalAndTheSnapshot() {
    List<Float> vector = List.of(0.6f, -0.8f, 0f);
    Readied withContent =
        new Readied(
            "v1",
            "alice",
            List.of("fyp"),
            null,
            15_000,
            720,
            1280,
            List.of(R360),
            "videos/v1/master.m3u8",
            "videos/v1/poster.jpg",
            "AAECAwQFBgc=",
            vector,
            T.plusSeconds(30));
    Created created =
        new Created(
            "v1", "alice", "", List.of("fyp"), null, 1, "video/mp4", "uploads/v1/original", T, T);
    Ready ready =
        (Ready)
            Uploading.created(created)
                .apply(
                    new UploadCompleted("v1", "alice", T.plusSeconds(1), null),
                    Duration.ofMinutes(20))
                .apply(withContent);
    assertThat(ready.video().media().content()).isEqualTo(vector);
    for (Object value : List.of(withContent, ready)) {
      var serializer = serialization.findSerializerFor(value);
      byte[] bytes = serialization.serialize(value).get();
      Object read =
          serialization
              .deserialize(
                  bytes, serializer.identifier(), Serializers.manifestFor(serializer, value))
              .get();
      assertThat(read).isEqualTo(value);
    }
  }

  @Test
  void aVideoWrittenBeforeRemixesReadsAsNoRemixThatAllowsRemixes() throws IOException {
    int snapshots = 0;
    for (String[] line : written()) {
      Object read =
          serialization
              .deserialize(Base64.getDecoder().decode(line[2]), Integer.parseInt(line[0]), line[1])
              .get();
      if (read instanceof VideoState.Live live) {
        assertThat(live.video().remixOf()).isEmpty();
        assertThat(live.video().remixAllowed()).isTrue();
        snapshots++;
      }
    }
    assertThat(snapshots).isPositive();
  }

  @Test
  void aRemixAndItsSwitchAreKeptByTheJournalAndTheSnapshot() {
    Created created =
        new Created("v9", "bob", "", List.of(), null, 1, "video/mp4", "uploads/v9/original", T, T);
    var remixed =
        new VideoEvent.Remixed(
            "v9", "bob", "v1", VideoSummary.RemixKind.STITCH, "alice", "alice", 1_000, 3_000, T);
    var off = new VideoEvent.RemixSet("v9", "bob", false, T.plusSeconds(5));
    VideoState.Live uploading = Uploading.created(created).apply(remixed).apply(off);
    assertThat(uploading.video().remixOf()).contains(remixed.remixOf());
    assertThat(uploading.video().remixAllowed()).isFalse();
    for (Object value : List.of(remixed, off, uploading)) {
      var serializer = serialization.findSerializerFor(value);
      byte[] bytes = serialization.serialize(value).get();
      Object read =
          serialization
              .deserialize(
                  bytes, serializer.identifier(), Serializers.manifestFor(serializer, value))
              .get();
      assertThat(read).isEqualTo(value);
    }
  }

  @Test
  void newEventsAreWrittenUnderTheirOwnNames() {
    for (Object value : expected()) {
      var serializer = serialization.findSerializerFor(value);
      String manifest = Serializers.manifestFor(serializer, value);
      assertThat(manifest).isEqualTo(value.getClass().getName());
      byte[] bytes = serialization.serialize(value).get();
      assertThat(serialization.deserialize(bytes, serializer.identifier(), manifest).get())
          .isEqualTo(value);
    }
  }
}
