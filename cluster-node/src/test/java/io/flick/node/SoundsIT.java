package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.transcode.media.AudioFingerprinter;
import io.flick.transcode.media.FfmpegPaths;
import io.flick.video.fingerprint.AudioFingerprint;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sounds through the HTTP API on the real pipeline: a clip's own audio becomes a sound with its
 * page; a re-upload of the same audio (another creator, another picture, re-encoded and quieter)
 * links to it; a clip without audio has none; "use this sound" needs a sound that exists, allows
 * reuse (which only its creator can turn off) and whose original video is still there; every video
 * object carries its sound's title, and search finds a video by it.
 */
@Timeout(600)
class SoundsIT {
  static final String SONG =
      "aevalsrc=0.4*sin(2*PI*(220+40*floor(mod(t*2\\,4)))*t)"
          + "+0.3*sin(2*PI*(330+55*floor(mod(t*3\\,5)))*t)*gt(mod(t\\,0.5)\\,0.25):s=44100:d=10";
  static final String OTHER_SONG =
      "aevalsrc=0.4*sin(2*PI*(523-60*floor(mod(t*1.5\\,6)))*t)"
          + "+0.2*sin(2*PI*(784+30*floor(mod(t*4\\,3)))*t)*lt(mod(t\\,0.4)\\,0.2):s=44100:d=10";

  static final String THIRD_SONG =
      "aevalsrc=0.5*sin(2*PI*(110*pow(2\\,floor(mod(t*2\\,8))/12))*t):s=44100:d=10";

  static final String SOUND_SONG =
      "aevalsrc=0.5*sin(2*PI*(880*pow(2\\,-floor(mod(t*3\\,7))/12))*t)*gt(mod(t\\,0.33)\\,0.1)"
          + ":s=44100:d=10";
  static final String GONE_SONG =
      "aevalsrc=0.4*sin(2*PI*(660*pow(2\\,floor(mod(t*5\\,9))/12))*t)*lt(mod(t\\,0.6)\\,0.4)"
          + "+0.2*sin(2*PI*147*t):s=44100:d=10";
  static final String OWN_SONG =
      "aevalsrc=0.3*sin(2*PI*300*t)*gt(mod(t\\,1)\\,0.5)"
          + "+0.3*sin(2*PI*450*t)*lt(mod(t\\,0.75)\\,0.3):s=44100:d=10";

  @TempDir static Path clips;
  private static ApiClient maya;
  private static ApiClient theo;

  @BeforeAll
  static void signUp() throws Exception {
    maya = ApiClient.signedUp(TestCluster.get(), "maya");
    theo = ApiClient.signedUp(TestCluster.get(), "theo");
  }

  /** A 10 s portrait clip: the lavfi picture {@code video}, the audio {@code audio} (+ filter). */
  static byte[] clip(String name, String video, String audio, String audioArgs) throws Exception {
    Path out = clips.resolve(name);
    List<String> command =
        new ArrayList<>(
            List.of(
                "ffmpeg",
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                video + (video.contains("=") ? ":" : "=") + "size=360x640:rate=30",
                "-f",
                "lavfi",
                "-i",
                audio,
                "-t",
                "10",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac"));
    command.addAll(Arrays.asList(audioArgs.isEmpty() ? new String[0] : audioArgs.split(" ")));
    command.add(out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(log).isTrue();
    return Files.readAllBytes(out);
  }

  private static JsonNode ready(ApiClient who, byte[] clip, String caption) throws Exception {
    String id = who.upload(clip, "video/mp4", caption);
    JsonNode video = who.awaitOutcome(id);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("READY");
    return video;
  }

  private static JsonNode awaitSound(String soundId) throws Exception {
    return maya.awaitJson("/api/v1/sounds/" + soundId, s -> true, Duration.ofSeconds(30));
  }

  private static HttpResponse<String> startWithSound(ApiClient who, String soundId)
      throws Exception {
    return who.post(
        "/api/v1/uploads",
        "{\"caption\":\"with a sound\",\"soundId\":\""
            + soundId
            + "\",\"sizeBytes\":1000,\"contentType\":\"video/mp4\"}");
  }

  @Test
  void aClipsOwnAudioIsASoundAndTheSameAudioReUploadedLinksToIt() throws Exception {
    JsonNode original = ready(maya, clip("maya.mp4", "testsrc2", SONG, "-b:a 128k"), "my song");
    String soundId = original.get("soundId").asText();
    assertThat(soundId).isEqualTo(original.get("id").asText());

    JsonNode sound = awaitSound(soundId);
    assertThat(sound.get("title").asText()).isEqualTo("original sound – @" + maya.handle);
    assertThat(sound.get("authorId").asText()).isEqualTo(maya.userId);
    assertThat(sound.get("originalVideoId").asText()).isEqualTo(original.get("id").asText());
    assertThat(sound.get("allowReuse").asBoolean()).isTrue();
    assertThat(sound.get("durationMs").asLong()).isBetween(9_000L, 11_000L);
    JsonNode withTitle = maya.json(maya.get("/api/v1/videos/" + original.get("id").asText()));
    assertThat(withTitle.get("sound").get("title").asText()).isEqualTo(sound.get("title").asText());

    // the same song under another picture, re-encoded at a lower bitrate and 6 dB quieter
    JsonNode reUpload =
        ready(theo, clip("theo.mp4", "smptehdbars", SONG, "-b:a 48k -af volume=-6dB"), "same");
    assertThat(reUpload.get("soundId").asText()).isEqualTo(soundId);
    maya.awaitJson(
        "/api/v1/sounds/" + soundId, s -> s.get("useCount").asLong() == 2, Duration.ofSeconds(30));
    JsonNode feed =
        maya.awaitJson(
            "/api/v1/sounds/" + soundId + "/videos",
            page -> page.get("items").size() == 2,
            Duration.ofSeconds(30));
    // the items' own ids (each also names its sound: {id, title})
    assertThat(
            java.util.stream.StreamSupport.stream(feed.get("items").spliterator(), false)
                .map(item -> item.get("id").asText()))
        .containsExactlyInAnyOrder(original.get("id").asText(), reUpload.get("id").asText());

    // watched, the sound trends under its title
    for (int i = 0; i < 30; i++) {
      assertThat(
              theo.post(
                      "/api/v1/videos/" + original.get("id").asText() + "/views",
                      "{\"watchMs\":1500,\"completed\":true}")
                  .statusCode())
          .isEqualTo(202);
    }
    JsonNode trending =
        maya.awaitJson(
            "/api/v1/trending/sounds",
            page -> page.get("items").findValuesAsText("key").contains(soundId),
            Duration.ofSeconds(90));
    for (JsonNode item : trending.get("items")) {
      if (item.get("key").asText().equals(soundId)) {
        assertThat(item.get("title").asText()).isEqualTo(sound.get("title").asText());
      }
    }

    // another song is another sound (OTHER_SONG is the reuse test's)
    JsonNode other = ready(theo, clip("other.mp4", "rgbtestsrc", THIRD_SONG, ""), "other");
    assertThat(other.get("soundId").asText()).isEqualTo(other.get("id").asText());
  }

  @Test
  void aClipWithoutAudioHasNoSound() throws Exception {
    JsonNode silent = ready(maya, ApiClient.clip(clips, "mandelbrot=size=360x640:rate=30", 3), "");
    assertThat(silent.has("soundId")).isFalse();
  }

  @Test
  void useThisSoundNeedsAKnownSoundThatAllowsReuse() throws Exception {
    var unknown = startWithSound(theo, "aaaaaaaaaaaaaaaaaaaaaaaaaa");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(theo.json(unknown).get("detail").asText()).contains("no sound");
    assertThat(startWithSound(theo, "not-an-id").statusCode()).isEqualTo(400);

    JsonNode original =
        ready(maya, clip("reuse.mp4", "cellauto=rule=30", OTHER_SONG + ",volume=0.5", ""), "mine");
    String soundId = original.get("soundId").asText();
    awaitSound(soundId);
    assertThat(startWithSound(theo, soundId).statusCode()).isEqualTo(201);

    String video = "/api/v1/videos/" + original.get("id").asText();
    assertThat(theo.patch(video, "{\"allowReuse\":false}").statusCode()).isEqualTo(403);
    assertThat(maya.patch(video, "{}").statusCode()).isEqualTo(400);
    var off = maya.patch(video, "{\"allowReuse\":false}");
    assertThat(off.statusCode()).isEqualTo(200);
    maya.awaitJson(
        "/api/v1/sounds/" + soundId, s -> !s.get("allowReuse").asBoolean(), Duration.ofSeconds(30));
    var refused = startWithSound(theo, soundId);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(theo.json(refused).get("detail").asText()).contains("does not allow reuse");
  }

  @Test
  void aSoundWhoseOriginalVideoWasDeletedCannotBeChosen() throws Exception {
    JsonNode original = ready(maya, clip("gone.mp4", "cellauto=rule=110", GONE_SONG, ""), "gone");
    String soundId = original.get("soundId").asText();
    awaitSound(soundId);
    assertThat(maya.delete("/api/v1/videos/" + original.get("id").asText()).statusCode())
        .isEqualTo(204);

    var refused = startWithSound(theo, soundId);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(theo.json(refused).get("detail").asText())
        .contains("no longer available")
        .contains("original video was deleted");
    // the sound's page remains
    assertThat(theo.get("/api/v1/sounds/" + soundId).statusCode()).isEqualTo(200);
  }

  @Test
  void useThisSoundReplacesTheClipsAudioWithTheSound() throws Exception {
    byte[] soundClip = clip("the-sound.mp4", "gradients=speed=0.05", SOUND_SONG, "");
    JsonNode original = ready(maya, soundClip, "a sound to use");
    String soundId = original.get("soundId").asText();
    awaitSound(soundId);

    byte[] ownClip = clip("own-audio.mp4", "life=rule=B36/S23:mold=10", OWN_SONG, "");
    String id = theo.upload(ownClip, "video/mp4", "with maya's sound", List.of(), soundId);
    JsonNode video = theo.awaitOutcome(id);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("READY");
    assertThat(video.get("soundId").asText()).isEqualTo(soundId);
    soundTitlesAreOnEveryVideoObjectAndSearchable(soundId, original.get("id").asText(), id);

    // what a viewer hears: the lowest rung's segments, as the player fetches them
    String hls = video.get("hls").asText();
    String base = hls.substring(0, hls.lastIndexOf('/') + 1);
    String master = new String(theo.getBytes(hls).body(), StandardCharsets.UTF_8);
    String rungPlaylist =
        master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    String rungBase =
        (base + rungPlaylist).substring(0, (base + rungPlaylist).lastIndexOf('/') + 1);
    String rung = new String(theo.getBytes(base + rungPlaylist).body(), StandardCharsets.UTF_8);
    Path heard = clips.resolve("heard.ts");
    try (var out = Files.newOutputStream(heard)) {
      for (String segment : rung.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
        var bytes = theo.getBytes(rungBase + segment);
        assertThat(bytes.statusCode()).isEqualTo(200);
        out.write(bytes.body());
      }
    }
    var fingerprinter =
        new AudioFingerprinter(FfmpegPaths.fromEnvironment().ffmpeg(), Duration.ofMinutes(1));
    AudioFingerprint audio = fingerprinter.fingerprint(heard);
    assertThat(audio.matches(fingerprinter.fingerprint(clips.resolve("the-sound.mp4"))))
        .as("the clip plays the chosen sound")
        .isTrue();
    assertThat(audio.matches(fingerprinter.fingerprint(clips.resolve("own-audio.mp4"))))
        .as("not its own audio")
        .isFalse();
  }

  /**
   * Theo's clip plays Maya's sound: the video objects of the sound feed and of Theo's profile carry
   * the sound's title, search finds Theo's clip by the title (nothing else in it names Maya), and
   * the Sounds tab lists the sound under its title with both videos.
   */
  private static void soundTitlesAreOnEveryVideoObjectAndSearchable(
      String soundId, String originalId, String usingId) throws Exception {
    String title = "original sound – @" + maya.handle;
    JsonNode soundFeed =
        theo.awaitJson(
            "/api/v1/sounds/" + soundId + "/videos",
            page -> page.get("items").findValuesAsText("id").contains(usingId),
            Duration.ofSeconds(30));
    for (JsonNode item : soundFeed.get("items")) {
      assertThat(item.get("sound").get("id").asText()).isEqualTo(soundId);
      assertThat(item.get("sound").get("title").asText()).isEqualTo(title);
    }
    theo.awaitListed(usingId);
    JsonNode profile = theo.json(theo.get("/api/v1/users/" + theo.userId + "/videos"));
    for (JsonNode item : profile.get("items")) {
      if (item.get("id").asText().equals(usingId)) {
        assertThat(item.get("sound").get("title").asText()).isEqualTo(title);
      }
    }

    String byTitle =
        "/api/v1/search?type=videos&q="
            + java.net.URLEncoder.encode("original sound " + maya.handle, StandardCharsets.UTF_8);
    JsonNode found =
        theo.awaitJson(
            byTitle,
            page -> page.get("items").findValuesAsText("id").contains(usingId),
            Duration.ofSeconds(90));
    assertThat(found.get("items").findValuesAsText("id")).contains(originalId);
    JsonNode sounds =
        theo.awaitJson(
            "/api/v1/search?type=sounds&q=" + maya.handle,
            page -> {
              for (JsonNode item : page.get("items")) {
                if (item.get("id").asText().equals(soundId) && item.get("videos").asLong() == 2) {
                  return true;
                }
              }
              return false;
            },
            Duration.ofSeconds(90));
    for (JsonNode item : sounds.get("items")) {
      if (item.get("id").asText().equals(soundId)) {
        assertThat(item.get("title").asText()).isEqualTo(title);
      }
    }
  }
}
