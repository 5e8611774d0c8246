package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow 1–3 end to end on the real infra: presigned multipart upload to S3, complete, the Kafka-fed
 * transcode pipeline with the real ffmpeg, READY with signed HLS URLs that play through /media; bad
 * inputs end FAILED with a reason; delete removes the media.
 */
@Timeout(600)
class UploadPipelineIT {

  @TempDir static Path clips;

  private final TestCluster cluster = TestCluster.get();
  private static ApiClient creator;

  @BeforeAll
  static void signUp() throws Exception {
    creator = ApiClient.signedUp(TestCluster.get(), "creator");
  }

  static Path ffmpeg(String name, String... args) throws Exception {
    Path out = clips.resolve(name);
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-y", "-v", "error"));
    command.addAll(Arrays.asList(args));
    command.add(out.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + log);
    }
    return out;
  }

  static Path portraitClip(String name, int seconds) throws Exception {
    return ffmpeg(
        name,
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=360x640:rate=30:duration=" + seconds,
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=" + seconds,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest");
  }

  private String upload(byte[] content, String contentType) throws Exception {
    return creator.upload(content, contentType, "test clip #Flick");
  }

  private JsonNode awaitOutcome(String videoId) throws Exception {
    return creator.awaitOutcome(videoId);
  }

  @Test
  void anUploadedClipBecomesPlayableAdaptiveHls() throws Exception {
    byte[] clip = Files.readAllBytes(portraitClip("portrait.mp4", 5));
    String videoId = upload(clip, "video/mp4");
    JsonNode video = awaitOutcome(videoId);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("READY");
    assertThat(video.get("width").asInt()).isEqualTo(360);
    assertThat(video.get("height").asInt()).isEqualTo(640);
    assertThat(video.get("durationMs").asLong()).isBetween(4500L, 5500L);
    assertThat(video.get("hashtags").toString()).contains("flick", "test");
    assertThat(video.get("counts").get("views").asLong()).isZero();

    String hls = video.get("hls").asText();
    var master = creator.getBytes(hls);
    assertThat(master.statusCode()).isEqualTo(200);
    assertThat(master.headers().firstValue("Content-Type")).get().asString().contains("mpegurl");
    String playlist = new String(master.body(), StandardCharsets.UTF_8);
    assertThat(playlist)
        .contains(
            "#EXTM3U",
            "BANDWIDTH=",
            "AVERAGE-BANDWIDTH=",
            "RESOLUTION=360x640",
            "CODECS=",
            "FRAME-RATE=");
    // every playlist and segment it references is fetchable through the same signed prefix
    String base = hls.substring(0, hls.lastIndexOf('/') + 1);
    String rungPlaylist =
        playlist.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    var rung = creator.getBytes(base + rungPlaylist);
    assertThat(rung.statusCode()).isEqualTo(200);
    String rungText = new String(rung.body(), StandardCharsets.UTF_8);
    assertThat(rungText).contains("#EXT-X-ENDLIST");
    String rungBase =
        (base + rungPlaylist).substring(0, (base + rungPlaylist).lastIndexOf('/') + 1);
    List<String> segments =
        rungText.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    assertThat(segments).hasSizeGreaterThanOrEqualTo(2);
    var segment = creator.getBytes(rungBase + segments.get(0));
    assertThat(segment.statusCode()).isEqualTo(200);
    assertThat(segment.headers().firstValue("Content-Type")).contains("video/mp2t");
    assertThat(segment.headers().firstValue("Cache-Control"))
        .get()
        .asString()
        .contains("immutable");
    assertThat(segment.body()[0]).isEqualTo((byte) 0x47); // MPEG-TS sync byte
    var ranged = creator.getBytes(rungBase + segments.get(0), "Range", "bytes=0-187");
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.body()).hasSize(188);
    assertThat(ranged.headers().firstValue("Content-Range"))
        .get()
        .asString()
        .startsWith("bytes 0-187/");

    var poster = creator.getBytes(video.get("poster").asText());
    assertThat(poster.statusCode()).isEqualTo(200);
    assertThat(poster.headers().firstValue("Content-Type")).contains("image/jpeg");

    // signatures: forged, missing and path tricks are refused
    String forged =
        hls.replaceFirst(
            "/media/(\\d+\\.\\d+)/[^/]+/",
            "/media/$1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/");
    assertThat(creator.getBytes(forged).statusCode()).isEqualTo(403);
    assertThat(creator.getBytes("/media/videos/" + videoId + "/media/master.m3u8").statusCode())
        .isIn(400, 403, 404);
    assertThat(creator.getBytes(base + "../source").statusCode()).isIn(400, 403);
    assertThat(creator.getBytes(base + "..%2Fsource").statusCode()).isEqualTo(400);
    String expired = hls.replaceFirst("/media/\\d+\\.", "/media/1000.");
    assertThat(creator.getBytes(expired).statusCode()).isEqualTo(403);

    // delete: gone from the API at once, from its creator's list and from storage within seconds
    // (the listing projection)
    creator.awaitListed(videoId);
    assertThat(creator.delete("/api/v1/videos/" + videoId).statusCode()).isEqualTo(204);
    assertThat(creator.get("/api/v1/videos/" + videoId).statusCode()).isEqualTo(404);
    creator.awaitJson(
        "/api/v1/users/" + creator.userId + "/videos",
        page -> !page.get("items").findValuesAsText("id").contains(videoId),
        Duration.ofSeconds(30));
    creator.awaitStatus(hls, 404, Duration.ofSeconds(30));
    assertThat(creator.delete("/api/v1/videos/" + videoId).statusCode()).isIn(204, 404);
  }

  @Test
  void ffmpegKilledMidRunIsRetriedAndTheVideoStillBecomesReady() throws Exception {
    Path clip =
        ffmpeg(
            "long.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=720x1280:rate=30:duration=20",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=330:duration=20",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest");
    String videoId = upload(Files.readAllBytes(clip), "video/mp4");
    // the transcoder's ffmpeg for the first attempt works in a folder named after the video
    ProcessHandle ffmpeg = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (ffmpeg == null && System.nanoTime() < deadline) {
      ffmpeg =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false))
              .filter(
                  p -> p.info().commandLine().map(c -> c.contains(videoId + "-1")).orElse(false))
              .findFirst()
              .orElse(null);
      Thread.onSpinWait();
    }
    assertThat(ffmpeg).as("the first attempt's ffmpeg").isNotNull();
    assertThat(ffmpeg.destroyForcibly()).isTrue();

    JsonNode video = awaitOutcome(videoId);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("READY");
    assertThat(video.get("durationMs").asLong()).isBetween(19_000L, 21_000L);
    assertThat(video.get("renditions")).hasSize(2); // 360x640 and 720x1280, never upscaled
  }

  @Test
  void badInputsEndFailedWithAReadableReason() throws Exception {
    byte[] random = new byte[200_000];
    new Random(7).nextBytes(random);
    Path png = ffmpeg("image.png", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1");
    Path halfSecond =
        ffmpeg(
            "short.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=360x640:rate=30:duration=0.5",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p");
    Path audioOnly =
        ffmpeg("audio.m4a", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac");
    Path tiny =
        ffmpeg(
            "tiny.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=16x16:rate=30:duration=2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p");

    String randomId = upload(random, "video/mp4");
    String pngId = upload(Files.readAllBytes(png), "video/mp4");
    String shortId = upload(Files.readAllBytes(halfSecond), "video/mp4");
    String audioId = upload(Files.readAllBytes(audioOnly), "video/mp4");
    String tinyId = upload(Files.readAllBytes(tiny), "video/mp4");
    String emptyId = upload(new byte[0], "video/mp4");

    for (String id : List.of(randomId, pngId, shortId, audioId, tinyId, emptyId)) {
      JsonNode video = awaitOutcome(id);
      assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("FAILED");
      assertThat(video.get("failureReason").asText()).isNotBlank();
      assertThat(video.has("hls")).isFalse();
    }
    assertThat(creator.json(creator.get("/api/v1/videos/" + emptyId)).get("failureReason").asText())
        .contains("empty");
    assertThat(creator.json(creator.get("/api/v1/videos/" + shortId)).get("failureReason").asText())
        .contains("minimum is 1 s");
    assertThat(creator.json(creator.get("/api/v1/videos/" + audioId)).get("failureReason").asText())
        .containsIgnoringCase("video");
  }

  @Test
  void anUploadNeverCompletedEndsFailedAtItsDeadline() throws Exception {
    var started =
        creator.post(
            "/api/v1/uploads",
            "{\"caption\":\"never\",\"sizeBytes\":1000,\"contentType\":\"video/mp4\"}");
    assertThat(started.statusCode()).isEqualTo(201);
    String videoId = creator.json(started).get("videoId").asText();
    assertThat(creator.json(creator.get("/api/v1/videos/" + videoId)).get("status").asText())
        .isEqualTo("UPLOADING");
    JsonNode video = awaitOutcome(videoId); // the test node's deadline is 20 s
    assertThat(video.get("status").asText()).isEqualTo("FAILED");
    assertThat(video.get("failureReason").asText()).contains("deadline");
  }

  @Test
  void badUploadRequestsAreRefused() throws Exception {
    ApiClient anonymous = new ApiClient(cluster.baseUrl());
    assertThat(
            anonymous
                .post("/api/v1/uploads", "{\"sizeBytes\":10,\"contentType\":\"video/mp4\"}")
                .statusCode())
        .isEqualTo(401);
    var tooBig =
        creator.post(
            "/api/v1/uploads", "{\"sizeBytes\":999999999999,\"contentType\":\"video/mp4\"}");
    assertThat(tooBig.statusCode()).isEqualTo(400);
    assertThat(tooBig.body()).contains("limit");
    assertThat(
            creator
                .post("/api/v1/uploads", "{\"sizeBytes\":10,\"contentType\":\"image/png\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(creator.post("/api/v1/uploads", "{\"contentType\":\"video/mp4\"}").statusCode())
        .isEqualTo(400);
    assertThat(creator.post("/api/v1/uploads/zzzzzzzzzzzzzzzzzzzzzzzzzz/complete", "").statusCode())
        .isEqualTo(404);
    assertThat(creator.get("/api/v1/videos/not-an-id").statusCode()).isEqualTo(404);

    // only the creator completes or deletes
    var started =
        creator.post("/api/v1/uploads", "{\"sizeBytes\":1000,\"contentType\":\"video/mp4\"}");
    String videoId = creator.json(started).get("videoId").asText();
    ApiClient other = ApiClient.signedUp(cluster, "other");
    assertThat(other.post("/api/v1/uploads/" + videoId + "/complete", "").statusCode())
        .isEqualTo(403);
    assertThat(other.delete("/api/v1/videos/" + videoId).statusCode()).isEqualTo(403);
    // completing with parts missing leaves the upload open for a resume
    var incomplete = creator.post("/api/v1/uploads/" + videoId + "/complete", "");
    assertThat(incomplete.statusCode()).isEqualTo(400);
    assertThat(incomplete.body()).contains("not been uploaded");
    assertThat(creator.json(creator.get("/api/v1/videos/" + videoId)).get("status").asText())
        .isEqualTo("UPLOADING");
  }
}
