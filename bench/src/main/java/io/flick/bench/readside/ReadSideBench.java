package io.flick.bench.readside;

import static io.flick.bench.BenchHttp.get;
import static io.flick.bench.BenchHttp.send;
import static io.flick.bench.BenchHttp.signUp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchNode;
import java.net.http.HttpClient;
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
        send(http, base + "/api/v1/users/" + creatorId + "/follow", "POST", null, tokens.get(i));
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
    return JSON.readTree(get(http, base + "/api/v1/users/" + creatorId))
        .get("counts")
        .get("followers")
        .asLong();
  }

  /** Registers and logs in; returns {token, userId}. */
}
