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
import java.util.List;
import java.util.function.Consumer;

/**
 * Dev mode's demo content: a few creators and short generated clips, uploaded through the public
 * API exactly as a client would, so the app has something to show at first open. Runs once per data
 * folder (a marker file), in the background after the node is ready.
 */
final class DemoContent {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "flick-demo-password";

  private record Creator(String handle, String region, List<Clip> clips) {}

  private record Clip(String caption, List<String> hashtags, String pattern, int frequency) {}

  private static final List<Creator> CREATORS =
      List.of(
          new Creator(
              "demo_ana",
              "DE",
              List.of(
                  new Clip(
                      "Morning routine in 6 seconds",
                      List.of("morning", "routine"),
                      "testsrc2",
                      440),
                  new Clip("Colour study", List.of("art", "colour"), "rgbtestsrc", 523))),
          new Creator(
              "demo_ben",
              "US",
              List.of(
                  new Clip(
                      "Spinning up the weekend", List.of("weekend", "dance"), "smptehdbars", 659),
                  new Clip(
                      "Quick recipe: noise soup",
                      List.of("cooking", "recipe"),
                      "mandelbrot",
                      330))),
          new Creator(
              "demo_chloe",
              "FR",
              List.of(
                  new Clip("Travel diary, day one", List.of("travel", "diary"), "life", 392),
                  new Clip("Sunset timelapse", List.of("travel", "sunset"), "cellauto", 294))));

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
                        + " videos uploaded (transcoding in the background)");
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
      List<String> videoIds = new ArrayList<>();
      for (Clip clip : creator.clips()) {
        Path file = dir.resolve(creator.handle() + "-" + videos + ".mp4");
        generate(ffmpeg, clip, file);
        videoIds.add(upload(http, baseUrl, token, clip, Files.readAllBytes(file)));
        videos++;
      }
      // the demo creators only: generated studio history, marked demo in every answer
      studioHistory.accept(creatorId, videoIds);
    }
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
    return videos;
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
                clip.pattern() + "=size=360x640:rate=30",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=" + clip.frequency(),
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

  private static String upload(
      HttpClient http, String baseUrl, String token, Clip clip, byte[] bytes) throws Exception {
    String request =
        "{\"caption\":\""
            + clip.caption()
            + "\",\"hashtags\":"
            + JSON.writeValueAsString(clip.hashtags())
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
