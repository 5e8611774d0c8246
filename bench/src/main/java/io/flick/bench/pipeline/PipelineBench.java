package io.flick.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchHttp;
import io.flick.bench.BenchNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * bench/pipeline: the whole upload path on the real node — a 30 s 1080x1920 clip is uploaded
 * through presigned URLs, then the clock runs from the 202 of "complete" to the first moment GET
 * shows a playable HLS URL (lowest rung published) and to READY (whole ladder), polling every 50
 * ms. The naive baseline for the same clip is measured by bench/transcode (one ffmpeg per
 * rendition).
 */
public final class PipelineBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    Path clip = Path.of(System.getProperty("clip"));
    int runs = Integer.parseInt(System.getProperty("runs", "2"));
    try (BenchNode bench = BenchNode.start(home, "pipeline", Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = bench.baseUrl();
      String body = "{\"handle\":\"pipeline_bench\",\"password\":\"correct horse battery staple\"}";
      BenchHttp.post(http, base + "/api/v1/accounts", body, null);
      String token =
          JSON.readTree(BenchHttp.post(http, base + "/api/v1/sessions", body, null))
              .get("token")
              .asText();
      byte[] bytes = Files.readAllBytes(clip);
      System.out.printf(
          "%-6s %26s %14s %18s%n",
          "run", "complete→first rung playable", "complete→READY", "READY × realtime");
      for (int run = 1; run <= runs; run++) {
        String videoId = BenchHttp.upload(http, base, token, bytes, "bench", List.of());
        long completed = System.nanoTime();
        double playable = -1;
        double ready = -1;
        double duration = 0;
        while (ready < 0 && System.nanoTime() - completed < 600e9) {
          JsonNode video = JSON.readTree(BenchHttp.get(http, base + "/api/v1/videos/" + videoId));
          double now = (System.nanoTime() - completed) / 1e9;
          if (playable < 0 && video.hasNonNull("hls")) {
            playable = now;
          }
          String status = video.get("status").asText();
          if (status.equals("READY")) {
            ready = now;
            duration = video.get("durationMs").asLong() / 1000.0;
          } else if (status.equals("FAILED")) {
            throw new IllegalStateException("FAILED: " + video.get("failureReason"));
          }
          Thread.sleep(50);
        }
        System.out.printf(
            "%-6d %24.1f s %12.1f s %17.2fx%n", run, playable, ready, duration / ready);
      }
    }
    System.exit(0);
  }
}
