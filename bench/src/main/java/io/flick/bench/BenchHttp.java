package io.flick.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The public API as the benchmarks call it outside wrk: sign-up, and calls that must succeed. */
public final class BenchHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String PASSWORD = "correct horse battery staple";

  private BenchHttp() {}

  /** {@code method} {@code url} with a JSON {@code body} (none if null); fails unless 2xx. */
  public static String send(HttpClient http, String url, String method, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  public static String post(HttpClient http, String url, String body, String token)
      throws Exception {
    return send(http, url, "POST", body, token);
  }

  /** The body of a GET, whatever its status. */
  public static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A new account with {@link #PASSWORD}, logged in: {token, userId}. */
  public static String[] signUp(HttpClient http, String base, String handle) throws Exception {
    String body = "{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\"}";
    post(http, base + "/api/v1/accounts", body, null);
    var session = JSON.readTree(post(http, base + "/api/v1/sessions", body, null));
    return new String[] {session.get("token").asText(), session.get("account").get("id").asText()};
  }

  /**
   * Starts an upload of {@code bytes} with {@code caption} and {@code hashtags}, PUTs every part to
   * its presigned URL and completes it; returns the video id once "complete" answered 202.
   */
  public static String upload(
      HttpClient http,
      String base,
      String token,
      byte[] bytes,
      String caption,
      java.util.List<String> hashtags)
      throws Exception {
    var started =
        JSON.readTree(
            post(
                http,
                base + "/api/v1/uploads",
                JSON.writeValueAsString(
                    java.util.Map.of(
                        "caption",
                        caption,
                        "hashtags",
                        hashtags,
                        "sizeBytes",
                        bytes.length,
                        "contentType",
                        "video/mp4")),
                token));
    String videoId = started.get("videoId").asText();
    for (var part : started.get("upload").get("parts")) {
      int offset = (int) part.get("offset").asLong();
      int length = (int) part.get("length").asLong();
      HttpResponse<Void> put =
          http.send(
              HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, offset, length))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (put.statusCode() >= 300) {
        throw new IllegalStateException("part upload answered " + put.statusCode());
      }
    }
    post(http, base + "/api/v1/uploads/" + videoId + "/complete", "", token);
    return videoId;
  }

  /** A 3 s 360x640 clip from ffmpeg's test source, as the integration tests make one. */
  public static byte[] shortClip() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("bench-clip", ".mp4");
    Process ffmpeg =
        new ProcessBuilder(
                "ffmpeg",
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=360x640:rate=30:duration=3",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(ffmpeg.getInputStream().readAllBytes());
    if (ffmpeg.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + output);
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    java.nio.file.Files.delete(file);
    return bytes;
  }

  /** Polls the video every 10 ms until it is READY; fails if it ends FAILED or takes 2 minutes. */
  public static void awaitReady(HttpClient http, String base, String videoId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      String status =
          JSON.readTree(get(http, base + "/api/v1/videos/" + videoId)).get("status").asText();
      if (status.equals("READY")) {
        return;
      }
      if (status.equals("FAILED")) {
        throw new IllegalStateException("video " + videoId + " FAILED");
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("video " + videoId + " did not become READY");
  }
}
