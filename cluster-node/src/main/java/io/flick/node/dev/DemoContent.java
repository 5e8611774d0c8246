package io.flick.node.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Dev mode's demo content: creators in several regions with short generated clips, uploaded through
 * the public API exactly as a client would, then watched and liked by a few demo fans, so the app
 * has something to show at first open: the feeds, and a Discover page with hashtags and sounds
 * trending (they are shared across creators) and creators to suggest. Every clip has its own look
 * (a different lavfi source and options) and its sound's melody, never one test pattern. Runs once
 * per data folder (a marker file), in the background after the node is ready.
 */
final class DemoContent {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "flick-demo-password";
  // how long the seeder waits for the clips to be transcoded before the fans watch them
  private static final Duration TRANSCODED = Duration.ofMinutes(10);

  private record Creator(String handle, String displayName, String region, List<Clip> clips) {}

  /**
   * One clip: {@code look} is an ffmpeg lavfi video source with its options (size and rate are
   * added), {@code sound} the demo sound it plays, {@code fans} how many fans watch it. The first
   * clip of a sound makes it (its own audio becomes the sound); the others use that sound.
   */
  private record Clip(String caption, List<String> hashtags, String sound, String look, int fans) {}

  /**
   * The audio of each demo sound (an ffmpeg aevalsrc melody): one sound always sounds the same, and
   * a melody, unlike a steady tone, is audio the fingerprint can tell apart, so it becomes a sound.
   */
  private static final Map<String, String> SOUNDS =
      Map.of(
          "demo-sunrise-loop", "aevalsrc=0.4*sin(2*PI*(220+40*floor(mod(t*2\\,4)))*t)",
          "demo-weekend-beat", "aevalsrc=0.4*sin(2*PI*(523-60*floor(mod(t*1.5\\,6)))*t)",
          "demo-kitchen-jazz", "aevalsrc=0.5*sin(2*PI*(110*pow(2\\,floor(mod(t*2\\,8))/12))*t)",
          "demo-soft-piano",
              "aevalsrc=0.4*sin(2*PI*(659-20*floor(mod(t*2.5\\,9)))*t)*abs(sin(PI*t))");

  private static final int FANS = 4;

  private static final List<Creator> CREATORS =
      List.of(
          new Creator(
              "demo_ana",
              "Ana Weber",
              "DE",
              List.of(
                  new Clip(
                      "Morning routine in 6 seconds",
                      List.of("morning", "routine"),
                      "demo-sunrise-loop",
                      "testsrc2",
                      3),
                  new Clip(
                      "Colour study",
                      List.of("art", "colour"),
                      "demo-soft-piano",
                      "colorspectrum=type=all",
                      2))),
          new Creator(
              "demo_ben",
              "Ben Carter",
              "US",
              List.of(
                  new Clip(
                      "Spinning up the weekend",
                      List.of("weekend", "dance"),
                      "demo-weekend-beat",
                      "smptehdbars",
                      4),
                  new Clip(
                      "Quick recipe: noise soup",
                      List.of("cooking", "recipe"),
                      "demo-kitchen-jazz",
                      "mandelbrot=start_scale=2.5",
                      2))),
          new Creator(
              "demo_chloe",
              "Chloé Martin",
              "FR",
              List.of(
                  new Clip(
                      "Travel diary, day one",
                      List.of("travel", "diary"),
                      "demo-sunrise-loop",
                      "life=ratio=0.3:seed=7:life_color=#ffb000:death_color=#102040:mold=20",
                      4),
                  new Clip(
                      "Sunset timelapse",
                      List.of("travel", "sunset"),
                      "demo-sunrise-loop",
                      "cellauto=rule=110:random_fill_ratio=0.4",
                      3))),
          new Creator(
              "demo_dani",
              "Dani Souza",
              "BR",
              List.of(
                  new Clip(
                      "Dance break at the office",
                      List.of("dance", "weekend"),
                      "demo-weekend-beat",
                      "gradients=speed=0.05:c0=#ff2d55:c1=#5856d6",
                      4),
                  new Clip(
                      "Street food tour",
                      List.of("cooking", "travel"),
                      "demo-kitchen-jazz",
                      "sierpinski=type=triangle",
                      3))),
          new Creator(
              "demo_eli",
              "Eli Sharma",
              "IN",
              List.of(
                  new Clip(
                      "Sketching a city skyline",
                      List.of("art", "travel"),
                      "demo-soft-piano",
                      "life=ratio=0.1:seed=42:life_color=#30d158:death_color=#000000",
                      1),
                  new Clip(
                      "Five-minute stretch",
                      List.of("morning", "fitness"),
                      "demo-sunrise-loop",
                      "rgbtestsrc",
                      2))));

  private record Uploaded(Clip clip, String creatorId, String token) {}

  /**
   * A demo remix: {@code creator} (an index into {@link #CREATORS}) uploads {@code clip} as a duet
   * or stitch ({@code remix}, the upload's remix object without {@code of}) of the video that made
   * the demo sound {@code of}.
   */
  private record DemoRemix(int creator, Clip clip, String of, String remix) {}

  private static final List<DemoRemix> REMIXES =
      List.of(
          new DemoRemix(
              1,
              new Clip(
                  "Duet: my morning vs yours",
                  List.of("duet", "morning"),
                  "demo-kitchen-jazz",
                  "yuvtestsrc",
                  2),
              "demo-sunrise-loop",
              "\"kind\":\"duet\""),
          new DemoRemix(
              3,
              new Clip(
                  "Stitch: wait for the beat",
                  List.of("stitch", "weekend"),
                  "demo-soft-piano",
                  "pal75bars",
                  2),
              "demo-weekend-beat",
              "\"kind\":\"stitch\",\"fromMs\":1000,\"toMs\":3500"));

  private DemoContent() {}

  /** Seeds once; never throws (demo content is a convenience, not part of the node). */
  static void seedInBackground(
      String baseUrl,
      Path dataDir,
      String ffmpeg,
      java.util.function.BiConsumer<String, List<String>> studioHistory,
      Consumer<String> progress) {
    Path marker = dataDir.resolve("demo-seeded");
    if (Files.exists(marker)) {
      return;
    }
    Thread seeder =
        new Thread(
            () -> {
              try {
                int videos = seed(baseUrl, dataDir.resolve("demo"), ffmpeg, studioHistory);
                Files.writeString(marker, "seeded\n");
                progress.accept(
                    "demo        "
                        + CREATORS.size()
                        + " creators, "
                        + videos
                        + " videos, "
                        + FANS
                        + " fans watching them (Discover shows what trends)");
              } catch (Exception e) {
                progress.accept("demo        content not seeded: " + e.getMessage());
              }
            },
            "flick-demo-content");
    seeder.setDaemon(true);
    seeder.start();
  }

  private static int seed(
      String baseUrl,
      Path dir,
      String ffmpeg,
      java.util.function.BiConsumer<String, List<String>> studioHistory)
      throws Exception {
    Files.createDirectories(dir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<String> tokens = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Map<String, Uploaded> uploaded = new LinkedHashMap<>();
    int videos = 0;
    for (Creator creator : CREATORS) {
      String body =
          "{\"handle\":\""
              + creator.handle()
              + "\",\"password\":\""
              + PASSWORD
              + "\",\"region\":\""
              + creator.region()
              + "\"}";
      send(http, baseUrl + "/api/v1/accounts", "POST", body, null, true);
      JsonNode session =
          JSON.readTree(send(http, baseUrl + "/api/v1/sessions", "POST", body, null, false));
      String token = session.get("token").asText();
      tokens.add(token);
      String creatorId = session.get("account").get("id").asText();
      ids.add(creatorId);
      // a name beside the handle, as people give themselves (and search finds them by)
      send(
          http,
          baseUrl + "/api/v1/me",
          "PATCH",
          JSON.writeValueAsString(Map.of("displayName", creator.displayName())),
          token,
          false);
    }
    // Sounds are real: the first clip of each demo sound is uploaded without one, so its own audio
    // becomes the sound (id = that video's id); the others use it once it is READY and catalogued.
    long deadline = System.nanoTime() + TRANSCODED.toNanos();
    Map<String, String> soundIds = new LinkedHashMap<>();
    Map<String, List<String>> videosByCreator = new LinkedHashMap<>();
    Set<Clip> sent = new HashSet<>();
    for (boolean originals : List.of(true, false)) {
      for (int c = 0; c < CREATORS.size(); c++) {
        Creator creator = CREATORS.get(c);
        for (Clip clip : creator.clips()) {
          boolean original = !soundIds.containsKey(clip.sound());
          if (original != originals || sent.contains(clip)) {
            continue;
          }
          sent.add(clip);
          if (original) {
            soundIds.put(clip.sound(), null); // claimed: later clips of this sound use it
          }
          Path file = dir.resolve(creator.handle() + "-" + videos + ".mp4");
          generate(ffmpeg, clip, file);
          String videoId =
              upload(
                  http,
                  baseUrl,
                  tokens.get(c),
                  clip,
                  original ? "" : ",\"soundId\":\"" + soundIds.get(clip.sound()) + "\"",
                  Files.readAllBytes(file));
          if (original) {
            soundIds.put(clip.sound(), videoId);
          }
          videosByCreator.computeIfAbsent(ids.get(c), k -> new ArrayList<>()).add(videoId);
          uploaded.put(videoId, new Uploaded(clip, ids.get(c), tokens.get(c)));
          videos++;
        }
      }
      if (originals) {
        for (String soundVideo : soundIds.values()) {
          awaitReady(http, baseUrl, soundVideo, uploaded.get(soundVideo).token(), deadline);
          awaitSound(http, baseUrl, soundVideo, deadline);
        }
      }
    }
    // a duet and a stitch of the videos that made two of the sounds (READY by now)
    for (DemoRemix remix : REMIXES) {
      Path file = dir.resolve(CREATORS.get(remix.creator()).handle() + "-" + videos + ".mp4");
      generate(ffmpeg, remix.clip(), file);
      String videoId =
          upload(
              http,
              baseUrl,
              tokens.get(remix.creator()),
              remix.clip(),
              ",\"remix\":{\"of\":\"" + soundIds.get(remix.of()) + "\"," + remix.remix() + "}",
              Files.readAllBytes(file));
      videosByCreator
          .computeIfAbsent(ids.get(remix.creator()), k -> new ArrayList<>())
          .add(videoId);
      uploaded.put(
          videoId,
          new Uploaded(remix.clip(), ids.get(remix.creator()), tokens.get(remix.creator())));
      videos++;
    }
    // the demo creators only: generated studio history, marked demo in every answer
    videosByCreator.forEach(studioHistory);
    // everyone follows everyone else, so Following feeds are not empty either
    for (int i = 0; i < tokens.size(); i++) {
      for (int j = 0; j < ids.size(); j++) {
        if (i != j) {
          send(
              http,
              baseUrl + "/api/v1/users/" + ids.get(j) + "/follow",
              "POST",
              "",
              tokens.get(i),
              false);
        }
      }
    }
    watch(http, baseUrl, uploaded, deadline);
    return videos;
  }

  /**
   * The fans: each watches to the end the clips it is one of the {@code fans} of, likes every other
   * one, and follows one creator; the interaction stream makes the shared hashtags and sounds trend
   * and the watched creators popular (the Discover page's suggestions for newcomers).
   */
  private static void watch(
      HttpClient http, String baseUrl, Map<String, Uploaded> uploaded, long deadline)
      throws Exception {
    List<String> ready = new ArrayList<>();
    for (Map.Entry<String, Uploaded> video : uploaded.entrySet()) {
      if (awaitReady(http, baseUrl, video.getKey(), video.getValue().token(), deadline)) {
        ready.add(video.getKey());
      }
    }
    for (int fan = 0; fan < FANS; fan++) {
      String body =
          "{\"handle\":\"demo_fan_"
              + (fan + 1)
              + "\",\"password\":\""
              + PASSWORD
              + "\",\"region\":\""
              + CREATORS.get(fan % CREATORS.size()).region()
              + "\"}";
      send(http, baseUrl + "/api/v1/accounts", "POST", body, null, true);
      String token =
          JSON.readTree(send(http, baseUrl + "/api/v1/sessions", "POST", body, null, false))
              .get("token")
              .asText();
      int n = 0;
      for (String videoId : ready) {
        Uploaded video = uploaded.get(videoId);
        if (fan >= video.clip().fans()) {
          continue;
        }
        send(
            http,
            baseUrl + "/api/v1/videos/" + videoId + "/views",
            "POST",
            "{\"watchMs\":6000,\"completed\":true}",
            token,
            false);
        if (n++ % 2 == 0) {
          send(http, baseUrl + "/api/v1/videos/" + videoId + "/like", "POST", "", token, true);
        }
      }
      if (!ready.isEmpty()) {
        String creatorId = uploaded.get(ready.get(fan % ready.size())).creatorId();
        send(http, baseUrl + "/api/v1/users/" + creatorId + "/follow", "POST", "", token, true);
      }
    }
  }

  private static boolean awaitReady(
      HttpClient http, String baseUrl, String videoId, String token, long deadline)
      throws Exception {
    while (System.nanoTime() < deadline) {
      String status =
          JSON.readTree(send(http, baseUrl + "/api/v1/videos/" + videoId, "GET", "", token, false))
              .path("status")
              .asText();
      if (status.equals("READY")) {
        return true;
      }
      if (status.equals("FAILED") || status.equals("HELD")) {
        return false;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  /** Waits until the sounds projection has catalogued the sound (seconds after READY). */
  private static void awaitSound(HttpClient http, String baseUrl, String soundId, long deadline)
      throws Exception {
    while (System.nanoTime() < deadline) {
      HttpResponse<String> sound =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/sounds/" + soundId)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (sound.statusCode() == 200) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IOException("demo sound " + soundId + " was not catalogued in time");
  }

  private static void generate(String ffmpeg, Clip clip, Path file)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                ffmpeg,
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                clip.look() + (clip.look().contains("=") ? ":" : "=") + "size=360x640:rate=30",
                "-f",
                "lavfi",
                "-i",
                SOUNDS.get(clip.sound()) + ":s=44100",
                "-t",
                "6",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("ffmpeg could not generate a demo clip: " + log);
    }
  }

  /**
   * Uploads a clip; {@code moreFields} are more fields of the start request (JSON, each with a
   * leading comma): a {@code soundId} when it uses an existing sound, a {@code remix}, or none.
   */
  private static String upload(
      HttpClient http, String baseUrl, String token, Clip clip, String moreFields, byte[] bytes)
      throws Exception {
    String request =
        "{\"caption\":\""
            + clip.caption()
            + "\",\"hashtags\":"
            + JSON.writeValueAsString(clip.hashtags())
            + moreFields
            + ",\"sizeBytes\":"
            + bytes.length
            + ",\"contentType\":\"video/mp4\"}";
    JsonNode started =
        JSON.readTree(send(http, baseUrl + "/api/v1/uploads", "POST", request, token, false));
    String videoId = started.get("videoId").asText();
    for (JsonNode part : started.get("upload").get("parts")) {
      int offset = (int) part.get("offset").asLong();
      int length = (int) part.get("length").asLong();
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, offset, length))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (put.statusCode() != 200) {
        throw new IOException("demo upload part failed: " + put.statusCode());
      }
    }
    send(http, baseUrl + "/api/v1/uploads/" + videoId + "/complete", "POST", "", token, false);
    return videoId;
  }

  private static String send(
      HttpClient http, String url, String method, String body, String token, boolean conflictIsFine)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300 && !(conflictIsFine && response.statusCode() == 409)) {
      throw new IOException(
          method + " " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
