package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.transcode.media.Media;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duet and stitch through the HTTP API on the real pipeline. The source plays a 440 Hz tone, the
 * new clips an 880 Hz one: what a player fetches (the lowest rung's segments) is checked with
 * ffprobe for its size and length, and by band level for which tone plays when. Every refusal is a
 * problem body and creates nothing.
 */
@Timeout(600)
class RemixIT {
  @TempDir static Path clips;
  private static ApiClient maya;
  private static ApiClient theo;

  /** Maya's 8 s 360x640 clip with a 440 Hz tone, READY. */
  private static JsonNode source;

  @BeforeAll
  static void setUp() throws Exception {
    maya = ApiClient.signedUp(TestCluster.get(), "maya");
    theo = ApiClient.signedUp(TestCluster.get(), "theo");
    source =
        ready(
            maya, tone("source.mp4", "gradients=size=360x640:rate=25:speed=0.02:seed=13", 440, 8));
  }

  /** A portrait clip of the lavfi picture {@code video} with a sine tone of {@code hz}. */
  static byte[] tone(String name, String video, int hz, int seconds) throws Exception {
    return Files.readAllBytes(Media.tone(clips.resolve(name), video, hz, seconds, false));
  }

  static JsonNode ready(ApiClient who, byte[] clip) throws Exception {
    JsonNode video = who.awaitOutcome(who.upload(clip, "video/mp4", "remix test"));
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("READY");
    return video;
  }

  static String remix(String of, String kind, String range) {
    return "{\"of\":\"" + of + "\",\"kind\":\"" + kind + "\"" + range + "}";
  }

  /** What a player plays: the lowest rung's segments joined. */
  static Path played(JsonNode video, String name) throws Exception {
    String hls = video.get("hls").asText();
    String base = hls.substring(0, hls.lastIndexOf('/') + 1);
    String master = new String(theo.getBytes(hls).body(), StandardCharsets.UTF_8);
    String rungPlaylist =
        master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    String rungBase =
        (base + rungPlaylist).substring(0, (base + rungPlaylist).lastIndexOf('/') + 1);
    String rung = new String(theo.getBytes(base + rungPlaylist).body(), StandardCharsets.UTF_8);
    Path joined = clips.resolve(name);
    try (var out = Files.newOutputStream(joined)) {
      for (String segment : rung.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
        var bytes = theo.getBytes(rungBase + segment);
        assertThat(bytes.statusCode()).isEqualTo(200);
        out.write(bytes.body());
      }
    }
    return joined;
  }

  @Test
  void aDuetIsPortraitAsLongAsTheNewClipWithBothSoundsAndNamesItsSource() throws Exception {
    String id =
        theo.uploadRemix(
            tone("duet.mp4", "testsrc2=size=360x640:rate=30", 880, 5),
            "duet",
            remix(source.get("id").asText(), "duet", ""));
    JsonNode duet = theo.awaitOutcome(id);
    assertThat(duet.get("status").asText()).as(duet.toString()).isEqualTo("READY");
    assertThat(duet.get("width").asInt() * 16).isEqualTo(duet.get("height").asInt() * 9);
    assertThat(duet.get("durationMs").asLong()).isBetween(5_000L - 34, 5_000L + 34);
    JsonNode remixOf = duet.get("remixOf");
    assertThat(remixOf.get("id").asText()).isEqualTo(source.get("id").asText());
    assertThat(remixOf.get("kind").asText()).isEqualTo("duet");
    assertThat(remixOf.get("creatorId").asText()).isEqualTo(maya.userId);
    assertThat(remixOf.get("creatorHandle").asText()).isEqualTo(maya.handle);
    assertThat(duet.get("allowRemix").asBoolean()).isTrue();
    assertThat(duet.has("soundId")).as("a remix makes no sound of its own").isFalse();

    Path played = played(duet, "duet.ts");
    int[] size = Media.videoSize(played);
    assertThat(size[0] * 16).isEqualTo(size[1] * 9);
    assertThat(Media.seconds(played)).isBetween(5.0 - 1 / 30.0, 5.0 + 0.1);
    for (double[] range : new double[][] {{0.3, 2.3}, {2.7, 4.7}}) {
      assertThat(Media.band(played, range[0], range[1], 880)).as("the new clip").isGreaterThan(-40);
      assertThat(Media.band(played, range[0], range[1], 440)).as("the source").isGreaterThan(-40);
    }

    // a remix of the duet composes the duet as viewers see it (both tones), not its stored
    // original (Theo's clip alone, 880 Hz only)
    String again =
        theo.uploadRemix(
            tone("of-duet.mp4", "cellauto=rule=30:size=360x640:rate=30", 660, 2),
            "stitch of a duet",
            remix(id, "stitch", ",\"fromMs\":1000,\"toMs\":3000"));
    JsonNode ofDuet = theo.awaitOutcome(again);
    assertThat(ofDuet.get("status").asText()).as(ofDuet.toString()).isEqualTo("READY");
    Path replayed = played(ofDuet, "of-duet.ts");
    assertThat(Media.band(replayed, 0.3, 1.7, 440)).as("the duet's source").isGreaterThan(-40);
    assertThat(Media.band(replayed, 0.3, 1.7, 880)).as("the duet's own clip").isGreaterThan(-40);
  }

  @Test
  void aStitchPlaysThePartOfTheSourceThenTheNewClip() throws Exception {
    String id =
        theo.uploadRemix(
            tone("stitch.mp4", "rgbtestsrc=size=360x640:rate=30", 880, 5),
            "stitch",
            remix(source.get("id").asText(), "stitch", ",\"fromMs\":1000,\"toMs\":3500"));
    JsonNode stitch = theo.awaitOutcome(id);
    assertThat(stitch.get("status").asText()).as(stitch.toString()).isEqualTo("READY");
    assertThat(stitch.get("durationMs").asLong()).isBetween(7_500L - 34, 7_500L + 34);
    JsonNode remixOf = stitch.get("remixOf");
    assertThat(remixOf.get("kind").asText()).isEqualTo("stitch");
    assertThat(remixOf.get("fromMs").asLong()).isEqualTo(1000);
    assertThat(remixOf.get("toMs").asLong()).isEqualTo(3500);

    Path played = played(stitch, "stitch.ts");
    assertThat(Media.videoSize(played)).containsExactly(360, 640);
    double source440 = Media.band(played, 0.3, 2.2, 440);
    assertThat(source440).as("first the source").isGreaterThan(-40);
    assertThat(Media.band(played, 0.3, 2.2, 880)).isLessThan(source440 - 20);
    double clip880 = Media.band(played, 3.0, 7.2, 880);
    assertThat(clip880).as("then the new clip").isGreaterThan(-40);
    assertThat(Media.band(played, 3.0, 7.2, 440)).isLessThan(clip880 - 20);
  }

  private static HttpResponse<String> start(ApiClient who, String fields) throws Exception {
    return who.post(
        "/api/v1/uploads",
        "{\"caption\":\"remix\",\"sizeBytes\":1000,\"contentType\":\"video/mp4\"" + fields + "}");
  }

  private static void refused(HttpResponse<String> response, int status, String detail)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
    assertThat(theo.json(response).get("detail").asText()).contains(detail);
  }

  @Test
  void aRemixOfWhatCannotBeRemixedIsRefusedWithAReason() throws Exception {
    String of = source.get("id").asText();
    String remix = ",\"remix\":";
    refused(
        start(theo, remix + remix(of, "duet", "") + ",\"soundId\":\"" + of + "\""), 400, "soundId");
    refused(start(theo, remix + remix(of, "mashup", "")), 400, "'duet' or 'stitch'");
    refused(start(theo, remix + remix(of, "duet", ",\"fromMs\":0,\"toMs\":2000")), 400, "duet");
    refused(start(theo, remix + remix(of, "stitch", "")), 400, "fromMs and toMs");
    refused(
        start(theo, remix + remix(of, "stitch", ",\"fromMs\":0,\"toMs\":6000")),
        400,
        "1000 to 5000");
    refused(
        start(theo, remix + remix(of, "stitch", ",\"fromMs\":6500,\"toMs\":9000")),
        400,
        "must end within it");
    refused(start(theo, remix + remix("a".repeat(26), "duet", "")), 404, "no video");
    refused(start(theo, remix + remix("not-an-id", "duet", "")), 404, "no video");

    // not READY: an upload that was never completed
    String uploading = theo.json(start(theo, "")).get("videoId").asText();
    refused(start(maya, remix + remix(uploading, "duet", "")), 409, "UPLOADING");

    // the creator turns remixes off (only the creator may), and on again
    JsonNode own = ready(maya, tone("own.mp4", "cellauto=rule=110:size=360x640:rate=30", 440, 3));
    String path = "/api/v1/videos/" + own.get("id").asText();
    assertThat(theo.patch(path, "{\"allowRemix\":false}").statusCode()).isEqualTo(403);
    var off = maya.patch(path, "{\"allowRemix\":false}");
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(maya.json(off).get("allowRemix").asBoolean()).isFalse();
    assertThat(maya.json(off).get("allowReuse").asBoolean()).as("reuse is another switch").isTrue();
    refused(
        start(theo, remix + remix(own.get("id").asText(), "duet", "")),
        409,
        "does not allow duets and stitches");
    assertThat(maya.patch(path, "{\"allowRemix\":true,\"allowReuse\":false}").statusCode())
        .isEqualTo(200);
    JsonNode both = maya.json(maya.get(path));
    assertThat(both.get("allowRemix").asBoolean()).isTrue();
    assertThat(both.get("allowReuse").asBoolean()).isFalse();
    assertThat(start(theo, remix + remix(own.get("id").asText(), "duet", "")).statusCode())
        .isEqualTo(201);

    // deleted: gone
    assertThat(maya.delete(path).statusCode()).isEqualTo(204);
    refused(start(theo, remix + remix(own.get("id").asText(), "duet", "")), 404, "no video");
  }

  @Test
  void aRemixOwnsItsMediaAndOneWhoseSourceWentAwayBeforeItsTranscodeFails() throws Exception {
    JsonNode gone = ready(maya, tone("gone.mp4", "life=size=360x640:rate=30:mold=10", 440, 4));
    String goneId = gone.get("id").asText();
    JsonNode kept =
        theo.awaitOutcome(
            theo.uploadRemix(
                tone("kept.mp4", "smptebars=size=360x640:rate=30", 880, 3),
                "kept",
                remix(goneId, "stitch", ",\"fromMs\":0,\"toMs\":1500")));
    assertThat(kept.get("status").asText()).as(kept.toString()).isEqualTo("READY");

    // a remix accepted while its source existed, whose source is deleted before it is put
    byte[] late = tone("late.mp4", "yuvtestsrc=size=360x640:rate=30", 880, 3);
    HttpResponse<String> started =
        theo.post(
            "/api/v1/uploads",
            "{\"caption\":\"late\",\"sizeBytes\":"
                + late.length
                + ",\"contentType\":\"video/mp4\",\"remix\":"
                + remix(goneId, "duet", "")
                + "}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    assertThat(maya.delete("/api/v1/videos/" + goneId).statusCode()).isEqualTo(204);
    // its media (the original with it) is removed by the listing projection
    maya.awaitStatus(gone.get("hls").asText(), 404, Duration.ofSeconds(60));
    JsonNode failed = theo.awaitOutcome(theo.finishUpload(theo.json(started), late));
    assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("FAILED");
    assertThat(failed.get("failureReason").asText()).contains("no longer available");

    // the earlier remix is untouched: same facts, still playable
    JsonNode after = theo.json(theo.get("/api/v1/videos/" + kept.get("id").asText()));
    assertThat(after.get("status").asText()).isEqualTo("READY");
    assertThat(after.get("remixOf")).isEqualTo(kept.get("remixOf"));
    assertThat(theo.getBytes(after.get("hls").asText()).statusCode()).isEqualTo(200);
  }
}
