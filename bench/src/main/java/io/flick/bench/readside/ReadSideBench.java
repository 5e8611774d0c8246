package io.flick.bench.readside;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * bench/readside: how far the read side runs behind the facts on a real node. Fans follow one
 * creator one after another; for each, the clock runs from the follow's 200 (the UserActor wrote
 * the fact) to the first GET of the creator's profile that counts it (the followers projection
 * wrote the view), polling every 10 ms. The baseline, measured in the same run, is the follow
 * request itself: what the old dual write made the caller wait for instead.
 */
public final class ReadSideBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    int fans = Integer.parseInt(System.getProperty("fans", "100"));
    try (BenchNode bench = BenchNode.start(home, "readside", Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = bench.baseUrl();
      String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
      String creatorId = signUp(http, base, "rs_creator_" + run)[1];
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < fans; i++) {
        tokens.add(signUp(http, base, "rs_fan_" + run + "_" + i)[0]);
      }
      double[] request = new double[fans];
      double[] projected = new double[fans];
      for (int i = 0; i < fans; i++) {
        long start = System.nanoTime();
        send(http, "POST", base + "/api/v1/users/" + creatorId + "/follow", tokens.get(i));
        long written = System.nanoTime();
        request[i] = (written - start) / 1e6;
        while (followers(http, base, creatorId) < i + 1) {
          Thread.sleep(10);
        }
        projected[i] = (System.nanoTime() - written) / 1e6;
      }
      System.out.printf(
          "%n%d follows, one after another (ms)      p50       p99       max%n", fans);
      print("follow request (the fact; baseline)", request);
      print("follow → creator's count (projection)", projected);
    }
  }

  private static void print(String what, double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-40s %8.1f  %8.1f  %8.1f%n",
        what,
        sorted[(int) Math.floor(0.5 * (sorted.length - 1))],
        sorted[(int) Math.ceil(0.99 * (sorted.length - 1))],
        sorted[sorted.length - 1]);
  }

  private static long followers(HttpClient http, String base, String creatorId) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + creatorId)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return JSON.readTree(body).get("counts").get("followers").asLong();
  }

  /** Registers and logs in; returns {token, userId}. */
  private static String[] signUp(HttpClient http, String base, String handle) throws Exception {
    String body = "{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\"}";
    post(http, base + "/api/v1/accounts", body, null);
    var session = JSON.readTree(post(http, base + "/api/v1/sessions", body, null));
    return new String[] {session.get("token").asText(), session.get("account").get("id").asText()};
  }

  private static String post(HttpClient http, String url, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return check(url, http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private static String send(HttpClient http, String method, String url, String token)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return check(url, http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  private static String check(String url, HttpResponse<String> response) {
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(url + " -> " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }
}
