package io.flick.bench.playback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchHttp;
import io.flick.bench.BenchNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * bench/playback: the web app in real headless Chromium on localhost. A node with generated
 * portrait clips (a two-rung ladder, 360p and 720p) serves a hashtag feed; the bench measures, in
 * the page (performance.now() and requestVideoFrameCallback):
 *
 * <ul>
 *   <li>time to first frame: navigation start → first video frame presented, over several cold
 *       loads (HTTP cache disabled: every load is a first visit);
 *   <li>the same for a returning visitor: the app's files and hls.js in the HTTP cache, the videos
 *       not (the cache is cleared and a page without videos loaded before each measured load);
 *   <li>swipe to first frame: the ArrowDown that moves to the next video → its first frame
 *       presented while playing, over every swipe through the feed, after a dwell per video.
 * </ul>
 *
 * Both with the app's preloading (the next two items load their first segment) and without it
 * ({@code ?preload=0}), in the same run, so the ratio is meaningful.
 */
public final class PlaybackBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAG = "benchplayback";
  private static final String PASSWORD = "correct horse battery staple";

  /** Where a first visit spends its time: resource start → end (ms since navigation start). */
  private static final String WATERFALL =
      "const n = performance.getEntriesByType('navigation')[0];"
          + " const r = performance.getEntriesByType('resource').slice(0, 16).map(e =>"
          + " e.name.replace(/^.*\\/(media\\/[^/]+\\/[^/]+\\/)?/, '') + ' ' +"
          + " e.initiatorType + ' ' + Math.round(e.startTime) + '→' + Math.round(e.responseEnd));"
          + " return 'html→' + Math.round(n.responseEnd) + ', DOMContentLoaded ' +"
          + " Math.round(n.domContentLoadedEventEnd) + ', first frame ' +"
          + " Math.round(window.__flick.timings[0].frame) + ', from index.html: ' +"
          + " (window.__flick.bootHits || 0) + ' | ' + r.join(', ');";

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    int clips = Integer.parseInt(System.getProperty("clips", "24"));
    int loads = Integer.parseInt(System.getProperty("loads", "7"));
    long dwellMs = Long.parseLong(System.getProperty("dwellMs", "1500"));
    String baseUrl = System.getProperty("baseUrl", "");
    String feed = System.getProperty("feed", "#/tag/" + TAG);
    if (!baseUrl.isEmpty()) {
      run(baseUrl, feed, loads, dwellMs, home);
      return;
    }
    try (BenchNode bench = BenchNode.start(home, "playback", Map.of())) {
      seed(bench.baseUrl(), home.resolve("bench/target/playback-clips"), clips);
      run(bench.baseUrl(), feed, loads, dwellMs, home);
    }
  }

  private static void run(String baseUrl, String feed, int loads, long dwellMs, Path home)
      throws Exception {
    List<String> rows = new ArrayList<>();
    Result with = measure(baseUrl, feed, true, loads, dwellMs, home);
    Result without = measure(baseUrl, feed, false, loads, dwellMs, home);
    System.out.println();
    System.out.printf(
        "%-24s %22s %22s %22s %22s%n",
        "",
        "first frame p50 / p95",
        "returning p50 / p95",
        "swipe→frame p50 / p95",
        "swipe→playing p50 / p95");
    for (Result r : List.of(with, without)) {
      rows.add(
          String.format(
              "%-24s %10.0f / %5.0f ms %10.0f / %5.0f ms %10.1f / %5.1f ms %10.1f / %5.1f ms",
              r.label,
              pct(r.firstFrame, 50),
              pct(r.firstFrame, 95),
              pct(r.returning, 50),
              pct(r.returning, 95),
              pct(r.swipeFrame, 50),
              pct(r.swipeFrame, 95),
              pct(r.swipePlaying, 50),
              pct(r.swipePlaying, 95)));
    }
    rows.forEach(System.out::println);
    System.out.printf(
        "page loads: %d per mode; swipes: %d (preload) / %d (no preload); swipe p50 ratio"
            + " no-preload ÷ preload: %.1f×%n",
        with.firstFrame.size(),
        with.swipeFrame.size(),
        without.swipeFrame.size(),
        pct(without.swipeFrame, 50) / pct(with.swipeFrame, 50));
  }

  record Result(
      String label,
      List<Double> firstFrame,
      List<Double> returning,
      List<Double> swipeFrame,
      List<Double> swipePlaying) {}

  private static Result measure(
      String baseUrl, String feed, boolean preload, int loads, long dwellMs, Path home)
      throws Exception {
    String label = preload ? "preload next 2" : "no preload (?preload=0)";
    Path profile = Files.createTempDirectory("flick-bench-chromium");
    ChromeDriver driver = chromium(profile);
    try {
      driver.executeCdpCommand("Network.enable", Map.of());
      driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
      String url = baseUrl + "/" + query(preload) + feed;
      List<Double> firstFrame = new ArrayList<>();
      for (int i = 0; i < loads; i++) {
        driver.get("about:blank");
        driver.get(url);
        Number t =
            (Number)
                await(
                    driver,
                    "return window.__flick && window.__flick.timings[0] && window.__flick.timings[0].frame;",
                    30);
        if (i > 0) {
          firstFrame.add(t.doubleValue()); // the first load also warms the JIT: not counted
        }
        if (i == loads - 1) {
          System.out.println(label + ", last first visit: " + js(driver, WATERFALL));
        }
      }
      List<Double> swipeFrame = new ArrayList<>();
      List<Double> swipePlaying = new ArrayList<>();
      long items = ((Number) js(driver, "return window.__flick.view.items.length;")).longValue();
      for (int i = 1; ; i++) {
        Thread.sleep(dwellMs); // watching the current video while the next ones preload
        int count = ((Number) js(driver, "return window.__flick.view.items.length;")).intValue();
        if (i >= count) {
          break;
        }
        new Actions(driver).sendKeys(Keys.ARROW_DOWN).perform();
        final int index = i;
        await(
            driver,
            "const t = window.__flick.timings.find(x => x.index === "
                + index
                + "); return t && t.frame && t.playing ? true : null;",
            15);
        @SuppressWarnings("unchecked")
        Map<String, Object> t =
            (Map<String, Object>)
                js(driver, "return window.__flick.timings.find(x => x.index === " + index + ");");
        double t0 = ((Number) t.get("t0")).doubleValue();
        swipeFrame.add(((Number) t.get("frame")).doubleValue() - t0);
        swipePlaying.add(((Number) t.get("playing")).doubleValue() - t0);
      }
      // returning visitor: the app's files and hls.js in the HTTP cache, the videos not. Per load:
      // clear the cache, open a page without videos (#/login: index.html, app.js, app.css, hls.js),
      // then the feed.
      driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));
      List<Double> returning = new ArrayList<>();
      for (int i = 0; i < loads; i++) {
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        driver.get("about:blank");
        driver.get(baseUrl + "/" + query(preload) + "#/login");
        await(driver, "return window.__flick ? true : null;", 30);
        driver.get("about:blank");
        driver.get(url);
        Number t =
            (Number)
                await(
                    driver,
                    "return window.__flick && window.__flick.timings[0] && window.__flick.timings[0].frame;",
                    30);
        if (i > 0) {
          returning.add(t.doubleValue());
        }
      }
      System.out.printf(
          "%s: %d items, first frame %s ms, returning %s ms, swipes %s ms%n",
          label, items, round(firstFrame), round(returning), round(swipeFrame));
      return new Result(label, firstFrame, returning, swipeFrame, swipePlaying);
    } finally {
      driver.quit();
    }
  }

  /** "?preload=0" for the baseline, plus the QUERY knob (e.g. hls=native). */
  private static String query(boolean preload) {
    String extra = System.getProperty("query", "");
    String q = preload ? extra : "preload=0" + (extra.isEmpty() ? "" : "&" + extra);
    return q.isEmpty() ? "" : "?" + q;
  }

  private static List<Long> round(List<Double> values) {
    return values.stream().map(Math::round).toList();
  }

  static double pct(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static Object js(ChromeDriver driver, String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static Object await(ChromeDriver driver, String script, int seconds) {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    wait.pollingEvery(Duration.ofMillis(20));
    return wait.until(d -> js(driver, script));
  }

  static ChromeDriver chromium(Path profile) {
    String chromium = System.getenv().getOrDefault("FLICK_CHROMIUM", "/usr/bin/chromium");
    String chromedriver =
        System.getenv().getOrDefault("FLICK_CHROMEDRIVER", "/usr/bin/chromedriver");
    System.setProperty("webdriver.chrome.driver", chromedriver);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--mute-audio",
        "--window-size=412,915",
        "--user-data-dir=" + profile);
    return new ChromeDriver(
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .build(),
        options);
  }

  // ---- seeding: generated 720x1280 clips through the public API, three creators

  private static void seed(String baseUrl, Path dir, int clips) throws Exception {
    Files.createDirectories(dir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<String> tokens = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      String body = "{\"handle\":\"playback_" + c + "\",\"password\":\"" + PASSWORD + "\"}";
      BenchHttp.send(http, baseUrl + "/api/v1/accounts", "POST", body, null);
      tokens.add(
          JSON.readTree(BenchHttp.send(http, baseUrl + "/api/v1/sessions", "POST", body, null))
              .get("token")
              .asText());
    }
    String[] patterns = {"testsrc2", "smptehdbars", "rgbtestsrc", "mandelbrot", "life"};
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < clips; i++) {
      Path file = dir.resolve("clip-" + i + ".mp4");
      if (!Files.exists(file)) {
        ffmpeg(patterns[i % patterns.length], 300 + 20 * i, file);
      }
      byte[] bytes = Files.readAllBytes(file);
      String token = tokens.get(i % tokens.size());
      JsonNode started =
          JSON.readTree(
              BenchHttp.send(
                  http,
                  baseUrl + "/api/v1/uploads",
                  "POST",
                  "{\"caption\":\"playback bench "
                      + i
                      + "\",\"hashtags\":[\""
                      + TAG
                      + "\"],\"sizeBytes\":"
                      + bytes.length
                      + ",\"contentType\":\"video/mp4\"}",
                  token));
      String videoId = started.get("videoId").asText();
      for (JsonNode part : started.get("upload").get("parts")) {
        int offset = (int) part.get("offset").asLong();
        int length = (int) part.get("length").asLong();
        http.send(
            HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, offset, length))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
      BenchHttp.send(http, baseUrl + "/api/v1/uploads/" + videoId + "/complete", "POST", "", token);
      ids.add(videoId);
    }
    System.out.println("[bench] " + clips + " clips uploaded; waiting until READY");
    for (String id : ids) {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (true) {
        JsonNode v =
            JSON.readTree(
                BenchHttp.send(http, baseUrl + "/api/v1/videos/" + id, "GET", null, null));
        String status = v.get("status").asText();
        if (status.equals("READY")) {
          break;
        }
        if (status.equals("FAILED") || System.nanoTime() > deadline) {
          throw new IllegalStateException("clip " + id + " ended " + status + ": " + v);
        }
        Thread.sleep(250);
      }
    }
    System.out.println("[bench] all READY");
  }

  private static void ffmpeg(String pattern, int frequency, Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                "ffmpeg",
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                pattern + "=size=720x1280:rate=30",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=" + frequency,
                "-t",
                "4",
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
    String log = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg: " + log);
    }
  }
}
