package io.flick.bench.readside;

import static io.flick.bench.BenchHttp.get;
import static io.flick.bench.BenchHttp.send;
import static io.flick.bench.BenchHttp.signUp;
import static io.flick.bench.BenchHttp.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchHttp;
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
 *
 * <p>Then READY → listed: one short clip is uploaded again and again under a hashtag of the run's
 * own; the clock runs from the first GET that shows the video READY to the first page of the
 * hashtag feed that lists it (the video-listings projection wrote the index). The baseline in the
 * same run is upload → READY, the transcode the listing used to follow at once.
 */
public final class ReadSideBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    int fans = Integer.parseInt(System.getProperty("fans", "100"));
    int videos = Integer.parseInt(System.getProperty("videos", "20"));
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

      // READY → listed: one clip uploaded `videos` times under a hashtag of this run's own
      String[] creator = signUp(http, base, "rs_uploader_" + run);
      byte[] clip = BenchHttp.shortClip();
      String tag = "rs" + run;
      double[] ready = new double[videos];
      double[] listed = new double[videos];
      for (int i = 0; i < videos; i++) {
        long completed = System.nanoTime();
        String videoId = upload(http, base, creator[0], clip, "read side", List.of(tag));
        BenchHttp.awaitReady(http, base, videoId);
        long isReady = System.nanoTime();
        ready[i] = (isReady - completed) / 1e6;
        while (!get(http, base + "/api/v1/hashtags/" + tag + "/videos?limit=50")
            .contains(videoId)) {
          Thread.sleep(10);
        }
        listed[i] = (System.nanoTime() - isReady) / 1e6;
      }
      System.out.printf(
          "%n%d uploads, one after another (ms)      p50       p99       max%n", videos);
      print("upload → READY (transcode; baseline)", ready);
      print("READY → hashtag feed (projection)", listed);
    }
    System.exit(0);
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
