package io.flick.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** A real HTTP client of the test node, as a third-party client would use the API. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PASSWORD = "correct horse battery staple";

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final String baseUrl;
  String token;
  String userId;
  String handle;
  // sent as User-Agent when set (the API derives a view's device class from it)
  String userAgent;

  ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A new account, logged in. */
  static ApiClient signedUp(TestCluster cluster, String prefix) throws Exception {
    return signedUp(cluster, prefix, null);
  }

  /** A new account in {@code region} (ISO 3166; null: none given), logged in. */
  static ApiClient signedUp(TestCluster cluster, String prefix, String region) throws Exception {
    ApiClient client = new ApiClient(cluster.baseUrl());
    String handle =
        prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    var created =
        client.post(
            "/api/v1/accounts",
            "{\"handle\":\""
                + handle
                + "\",\"password\":\""
                + PASSWORD
                + "\""
                + (region == null ? "" : ",\"region\":\"" + region + "\"")
                + "}");
    if (created.statusCode() != 201) {
      throw new IllegalStateException("sign-up failed: " + created.body());
    }
    var session =
        client.post(
            "/api/v1/sessions",
            "{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\"}");
    JsonNode body = JSON.readTree(session.body());
    client.token = body.get("token").asText();
    client.userId = body.get("account").get("id").asText();
    client.handle = handle;
    return client;
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> patch(String path, String body) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET());
  }

  /** A GET sent without waiting for it, that fails unless answered within {@code timeout}. */
  java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(
      String path, Duration timeout) {
    return http.sendAsync(
        request(path).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws Exception {
    return send(request(path).DELETE());
  }

  HttpResponse<byte[]> getBytes(String pathOrUrl, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathOrUrl));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** Polls GET path until the JSON satisfies {@code done}; bounded, fails with the last body. */
  JsonNode awaitJson(String path, Predicate<JsonNode> done, Duration timeout) throws Exception {
    return JSON.readTree(awaitBody(path, body -> done.test(JSON.readTree(body)), timeout));
  }

  /**
   * Polls GET path until a 200 body satisfies {@code done}: the public API offers no event stream,
   * so this is how tests wait on asynchronous outcomes. Bounded; fails with the last body.
   */
  String awaitBody(String path, BodyCheck done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      var response = get(path);
      last = response.statusCode() == 200 ? response.body() : null;
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting on " + path + "; last: " + last);
  }

  /**
   * Polls GET pathOrUrl (as this client's user, when signed in) until it answers {@code status}.
   * Bounded; fails with the last status.
   */
  void awaitStatus(String pathOrUrl, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last =
          (token == null
                  ? getBytes(pathOrUrl)
                  : getBytes(pathOrUrl, "Authorization", "Bearer " + token))
              .statusCode();
      if (last == status) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "timed out waiting for " + status + " from " + pathOrUrl + "; last: " + last);
  }

  interface BodyCheck {
    boolean test(String body) throws Exception;
  }

  /** start → PUT every part to its presigned URL → complete; returns the video id. */
  String upload(byte[] content, String contentType, String caption) throws Exception {
    return upload(content, contentType, caption, List.of("Flick", "#test"));
  }

  /** The same with the given hashtags. */
  String upload(byte[] content, String contentType, String caption, List<String> hashtags)
      throws Exception {
    return upload(content, contentType, caption, hashtags, null);
  }

  /** The same using the sound {@code soundId} ("use this sound"); null for the clip's own. */
  String upload(
      byte[] content, String contentType, String caption, List<String> hashtags, String soundId)
      throws Exception {
    return uploadWith(
        content,
        contentType,
        caption,
        hashtags,
        soundId == null ? "" : ",\"soundId\":" + JSON.writeValueAsString(soundId));
  }

  /** A duet or stitch: {@code remix} is the upload's {@code remix} object as JSON. */
  String uploadRemix(byte[] content, String caption, String remix) throws Exception {
    return uploadWith(content, "video/mp4", caption, List.of(), ",\"remix\":" + remix);
  }

  /** The upload with {@code moreFields} (JSON, each with a leading comma) in its start request. */
  private String uploadWith(
      byte[] content, String contentType, String caption, List<String> hashtags, String moreFields)
      throws Exception {
    var started =
        post(
            "/api/v1/uploads",
            "{\"caption\":\""
                + caption
                + "\",\"hashtags\":"
                + JSON.writeValueAsString(hashtags)
                + moreFields
                + ",\"sizeBytes\":"
                + Math.max(content.length, 1)
                + ",\"contentType\":\""
                + contentType
                + "\"}");
    if (started.statusCode() != 201) {
      throw new AssertionError("upload start: " + started.statusCode() + " " + started.body());
    }
    return finishUpload(json(started), content);
  }

  /** PUT every part of a started upload ({@code body}: its 201 answer), then complete it. */
  String finishUpload(JsonNode body, byte[] content) throws Exception {
    String videoId = body.get("videoId").asText();
    for (JsonNode part : body.get("upload").get("parts")) {
      int offset = (int) Math.min(part.get("offset").asLong(), content.length);
      int length = (int) Math.min(part.get("length").asLong(), content.length - offset);
      var put =
          http.send(
              HttpRequest.newBuilder(uri(part.get("url").asText()))
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(content, offset, length))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (put.statusCode() != 200) {
        throw new AssertionError("part upload: " + put.statusCode() + " " + put.body());
      }
    }
    var completed = post("/api/v1/uploads/" + videoId + "/complete", "");
    if (completed.statusCode() != 202) {
      throw new AssertionError("complete: " + completed.statusCode() + " " + completed.body());
    }
    return videoId;
  }

  /** Waits until the video is READY or FAILED. */
  JsonNode awaitOutcome(String videoId) throws Exception {
    return awaitJson(
        "/api/v1/videos/" + videoId,
        v -> java.util.Set.of("READY", "FAILED", "HELD").contains(v.get("status").asText()),
        Duration.ofSeconds(180));
  }

  /**
   * Waits until this creator's video list has the READY video: the listing projection adds it (and
   * indexes its hashtags and sound) seconds after READY.
   */
  void awaitListed(String videoId) throws Exception {
    awaitJson(
        "/api/v1/users/" + userId + "/videos",
        page -> page.get("items").findValuesAsText("id").contains(videoId),
        Duration.ofSeconds(30));
  }

  URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (userAgent != null) {
      builder.header("User-Agent", userAgent);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A short portrait test clip (360x640, H.264) of {@code seconds}, written once into {@code dir};
   * what the ITs upload when the content does not matter.
   */
  static byte[] testClip(Path dir, int seconds) throws Exception {
    return clip(dir, "testsrc2=size=360x640:rate=30", seconds);
  }

  /** A clip of {@code seconds} from ffmpeg's {@code lavfi} source {@code source}, made once. */
  static byte[] clip(Path dir, String source, int seconds) throws Exception {
    Path clip = dir.resolve("clip-" + source.replaceAll("[^a-z0-9]", "") + "-" + seconds + "s.mp4");
    if (!Files.exists(clip)) {
      Process ffmpeg =
          new ProcessBuilder(
                  "ffmpeg",
                  "-y",
                  "-v",
                  "error",
                  "-f",
                  "lavfi",
                  "-i",
                  source,
                  "-t",
                  String.valueOf(seconds),
                  "-c:v",
                  "libx264",
                  "-preset",
                  "ultrafast",
                  "-pix_fmt",
                  "yuv420p",
                  clip.toString())
              .redirectErrorStream(true)
              .start();
      if (ffmpeg.waitFor() != 0) {
        throw new AssertionError("ffmpeg could not write the test clip " + clip);
      }
    }
    return Files.readAllBytes(clip);
  }
}
