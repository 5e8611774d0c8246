package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sounds and remixes in a real headless Chromium at phone width, each path from a video's page
 * through the upload page to the READY result: "Use this sound" (the new clip's sound link opens
 * the sound page, which lists it), Duet and Stitch (the result says "Duet with @x" / "Stitched
 * from @x", links to the source, and plays). The source is another creator's 6 s clip with its own
 * sound; the uploads are 3 s clips. A screenshot of each result is kept in {@code
 * target/browser-artifacts/}.
 */
@Timeout(600)
class RemixWebIT {
  /** A melody of its own (a steady tone would be featureless: no sound). */
  static final String SOURCE_SONG =
      "aevalsrc=0.5*sin(2*PI*(392*pow(2\\,floor(mod(t*4\\,6))/12))*t)*gt(mod(t\\,0.4)\\,0.1)"
          + "+0.2*sin(2*PI*(98+49*floor(mod(t\\,3)))*t):s=44100:d=6";

  @TempDir static Path tmp;
  static ChromeDriver driver;

  @RegisterExtension static final BrowserArtifacts artifacts = new BrowserArtifacts(() -> driver);

  static TestCluster cluster;
  static ApiClient source; // the creator whose video is remixed
  static String sourceVideo;
  static String soundId;
  static ApiClient me; // the creator in the browser

  @BeforeAll
  static void start() throws Exception {
    for (String binary : List.of(WebAppIT.CHROMIUM, WebAppIT.CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new AssertionError(binary + " is missing (scripts/install-deps.sh --browser)");
      }
    }
    cluster = TestCluster.get();
    source = ApiClient.signedUp(cluster, "remixed");
    sourceVideo =
        source.upload(
            Files.readAllBytes(
                clip("source.mp4", "rgbtestsrc=size=360x640:rate=30", SOURCE_SONG, 6)),
            "video/mp4",
            "remix me",
            List.of("remixweb"));
    me = ApiClient.signedUp(cluster, "remixer");
    driver = WebAppIT.chromium(tmp.resolve("profile"));
    // log in through the page while the source transcodes
    open("#/login");
    visible(By.id("auth-handle")).sendKeys(me.handle);
    driver.findElement(By.id("auth-password")).sendKeys(ApiClient.PASSWORD);
    driver.findElement(By.cssSelector("form button[type=submit]")).click();
    waitUpTo(30).until(ExpectedConditions.textToBe(By.cssSelector(".me-link"), "@" + me.handle));

    JsonNode ready = source.awaitOutcome(sourceVideo);
    assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("READY");
    soundId = ready.get("soundId").asText();
    assertThat(soundId).isEqualTo(sourceVideo);
    source.awaitJson("/api/v1/sounds/" + soundId, s -> true, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
  }

  @AfterEach
  void noContentSecurityPolicyViolations() {
    List<String> violations =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(org.openqa.selenium.logging.LogEntry::getMessage)
            .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
            .toList();
    assertThat(violations).as("CSP violations in the console").isEmpty();
  }

  @Test
  void useThisSoundThenTheClipsSoundLinkOpensTheSoundPageListingIt() throws Exception {
    String title = "original sound – @" + source.handle;
    // from the source video's sound link to its page, then "Use this sound"
    open("#/video/" + sourceVideo);
    WebElement link = visible(By.cssSelector(item(sourceVideo) + " .caption a.sound"));
    assertThat(link.getText()).isEqualTo("♫ " + title);
    link.click();
    waitUpTo(30).until(ExpectedConditions.textToBe(By.cssSelector(".sound-title"), "♫ " + title));
    visible(By.cssSelector(".sound-page a.use-sound")).click();
    waitUpTo(30)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".chosen-sound"), title));

    String mine = uploadThroughThePage(clip("mine-sound.mp4", "mandelbrot", null, 3));
    JsonNode video = me.json(me.get("/api/v1/videos/" + mine));
    assertThat(video.get("soundId").asText()).isEqualTo(soundId);
    // listed under the sound (the listing projection lags READY by moments)
    me.awaitJson(
        "/api/v1/sounds/" + soundId + "/videos",
        page -> page.get("items").findValuesAsText("id").contains(mine),
        Duration.ofSeconds(60));

    open("#/video/" + mine);
    WebElement own = visible(By.cssSelector(item(mine) + " .caption a.sound"));
    assertThat(own.getText()).isEqualTo("♫ " + title);
    own.click();
    waitUpTo(30).until(ExpectedConditions.textToBe(By.cssSelector(".sound-title"), "♫ " + title));
    visible(By.cssSelector(item(mine)));
    keep("remix-use-this-sound");
  }

  @Test
  void duetFromTheVideoPageSaysWhomItDuetsLinksToItAndPlays() throws Exception {
    open("#/video/" + sourceVideo);
    visible(By.cssSelector(item(sourceVideo) + " .remix-actions a.duet")).click();
    waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector(".remix-choice .remix-source"), "@" + source.handle));

    String duet = uploadThroughThePage(clip("mine-duet.mp4", "testsrc2=size=360x640", "sine", 3));
    assertRemixResult(duet, "Duet with @" + source.handle, "duet", "remix-duet");

    // on my own video: switch remixes off; the Duet and Stitch buttons are gone from it
    open("#/video/" + duet);
    visible(By.cssSelector(item(duet) + " .remix-actions a.duet"));
    visible(By.cssSelector(item(duet) + " .settings-toggle")).click();
    WebElement allowRemix =
        visible(By.cssSelector(item(duet) + " .video-settings input[name=allowRemix]"));
    assertThat(allowRemix.isSelected()).isTrue();
    allowRemix.click();
    waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector(item(duet) + " .settings-status"), "Allow duet & stitch: off"));
    assertThat(me.json(me.get("/api/v1/videos/" + duet)).get("allowRemix").asBoolean()).isFalse();
    driver.navigate().refresh();
    visible(By.cssSelector(item(duet) + " .caption a.remix-of"));
    assertThat(driver.findElements(By.cssSelector(item(duet) + " .remix-actions"))).isEmpty();
  }

  @Test
  void stitchPicksOneToFiveSecondsOfTheOriginalSaysWhereFromAndPlays() throws Exception {
    open("#/video/" + sourceVideo);
    visible(By.cssSelector(item(sourceVideo) + " .remix-actions a.stitch")).click();
    waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector(".remix-choice .remix-source"), "@" + source.handle));
    visible(By.id("up-file"))
        .sendKeys(clip("mine-stitch.mp4", "smptebars=size=360x640", "sine", 3).toString());

    // 5.5 s is too long: said plainly on the page, nothing sent
    setNumber("stitch-from", "0");
    setNumber("stitch-to", "5.5");
    driver.findElement(By.cssSelector(".upload-form button[type=submit]")).click();
    waitUpTo(10)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".upload-form .form-error[role=alert]"), "1 to 5 seconds"));
    assertThat(driver.findElement(By.cssSelector(".upload-state")).isDisplayed()).isFalse();

    setNumber("stitch-from", "1");
    setNumber("stitch-to", "3");
    String stitch = submitAndAwaitReady();
    assertRemixResult(stitch, "Stitched from @" + source.handle, "stitch", "remix-stitch");
    JsonNode video = me.json(me.get("/api/v1/videos/" + stitch));
    // 2 s of the source, then the 3 s clip
    assertThat(video.get("durationMs").asLong()).isBetween(4_800L, 5_200L);
  }

  // ---- steps

  /** Picks the file on the open upload page, submits, waits for READY; the new video's id. */
  private static String uploadThroughThePage(Path clip) {
    visible(By.id("up-file")).sendKeys(clip.toString());
    return submitAndAwaitReady();
  }

  private static String submitAndAwaitReady() {
    driver.findElement(By.cssSelector(".upload-form button[type=submit]")).click();
    WebElement ready =
        waitUpTo(240)
            .until(
                d -> {
                  List<WebElement> failed = d.findElements(By.cssSelector(".upload-state.failed"));
                  if (!failed.isEmpty()) {
                    throw new AssertionError("the upload failed: " + failed.get(0).getText());
                  }
                  List<WebElement> done = d.findElements(By.cssSelector(".upload-state.ready"));
                  return done.isEmpty() ? null : done.get(0);
                });
    String watch = ready.findElement(By.cssSelector("a.watch")).getAttribute("href");
    return watch.substring(watch.lastIndexOf('/') + 1);
  }

  /**
   * The remix's page: it says what it remixes, plays (kept as the screenshot {@code screenshot}),
   * and its label leads to the source.
   */
  private static void assertRemixResult(
      String remixId, String label, String kind, String screenshot) throws Exception {
    JsonNode video = me.json(me.get("/api/v1/videos/" + remixId));
    assertThat(video.get("remixOf").get("id").asText()).isEqualTo(sourceVideo);
    assertThat(video.get("remixOf").get("kind").asText()).isEqualTo(kind);

    open("#/video/" + remixId);
    WebElement remixOf = visible(By.cssSelector(item(remixId) + " .caption a.remix-of"));
    assertThat(remixOf.getText()).isEqualTo(label);
    assertThat(remixOf.getAttribute("href")).endsWith("#/video/" + sourceVideo);
    awaitPlaying(remixId);
    keep(screenshot);
    // the label leads to the source
    remixOf.click();
    visible(By.cssSelector(item(sourceVideo)));
  }

  // ---- helpers

  /** A clip of {@code seconds}: the lavfi picture, with audio {@code audio} (lavfi) unless null. */
  static Path clip(String name, String picture, String audio, int seconds) throws Exception {
    Path out = tmp.resolve(name);
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "ffmpeg",
                "-y",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                picture.contains("size=") ? picture : picture + "=size=360x640:rate=30"));
    if (audio != null) {
      command.addAll(
          List.of(
              "-f",
              "lavfi",
              "-i",
              audio.equals("sine") ? "sine=frequency=523:duration=" + seconds : audio));
    }
    command.addAll(
        List.of(
            "-t",
            String.valueOf(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p"));
    if (audio != null) {
      command.addAll(List.of("-c:a", "aac"));
    }
    command.add(out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(log).isTrue();
    return out;
  }

  private static String item(String videoId) {
    return ".item[data-id='" + videoId + "']";
  }

  /** Waits until the video of that item plays: currentTime moves forward by at least 0.5 s. */
  private static void awaitPlaying(String videoId) {
    String video = item(videoId) + " video";
    visible(By.cssSelector(video));
    double start =
        ((Number)
                waitUpTo(60)
                    .until(
                        d ->
                            js(
                                "const v = document.querySelector(arguments[0]);"
                                    + " return v && !v.paused && v.currentTime > 0 ? v.currentTime"
                                    + " : null;",
                                video)))
            .doubleValue();
    waitUpTo(30)
        .until(
            d ->
                (Boolean)
                    js(
                        "const v = document.querySelector(arguments[0]);"
                            // it loops: a time below the start has advanced past the end
                            + " return v.currentTime > arguments[1] || v.currentTime < arguments[2];",
                        video,
                        start + 0.5,
                        start - 0.5));
  }

  private static void setNumber(String id, String value) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  private static void keep(String name) throws Exception {
    Files.createDirectories(BrowserArtifacts.DIR);
    Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        png, BrowserArtifacts.DIR.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void open(String hash) {
    driver.get(cluster.baseUrl() + "/" + hash);
  }

  private static WebDriverWait waitUpTo(int seconds) {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    wait.pollingEvery(Duration.ofMillis(100));
    return wait;
  }

  private static WebElement visible(By by) {
    return waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
