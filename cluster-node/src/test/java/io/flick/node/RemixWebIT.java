package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

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

  @RegisterExtension static final Browser browser = new Browser();

  static TestCluster cluster;
  static ApiClient source; // the creator whose video is remixed
  static String sourceVideo;
  static String soundId;
  static ApiClient me; // the creator in the browser

  @BeforeAll
  static void start() throws Exception {
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
    driver = browser.driver();
    // log in through the page while the source transcodes
    browser.logIn(me.handle);

    JsonNode ready = source.awaitOutcome(sourceVideo);
    assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("READY");
    soundId = ready.get("soundId").asText();
    assertThat(soundId).isEqualTo(sourceVideo);
    source.awaitJson("/api/v1/sounds/" + soundId, s -> true, Duration.ofSeconds(30));
  }

  @Test
  void useThisSoundThenTheClipsSoundLinkOpensTheSoundPageListingIt() throws Exception {
    String title = "original sound – @" + source.handle;
    // from the source video's sound link to its page, then "Use this sound"
    browser.open("#/video/" + sourceVideo);
    WebElement link =
        browser.visible(By.cssSelector(Browser.item(sourceVideo) + " .caption a.sound"));
    assertThat(link.getText()).isEqualTo("♫ " + title);
    link.click();
    browser
        .waitUpTo(30)
        .until(ExpectedConditions.textToBe(By.cssSelector(".sound-title"), "♫ " + title));
    browser.visible(By.cssSelector(".sound-page a.use-sound")).click();
    browser
        .waitUpTo(30)
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

    browser.open("#/video/" + mine);
    WebElement own = browser.visible(By.cssSelector(Browser.item(mine) + " .caption a.sound"));
    assertThat(own.getText()).isEqualTo("♫ " + title);
    own.click();
    browser
        .waitUpTo(30)
        .until(ExpectedConditions.textToBe(By.cssSelector(".sound-title"), "♫ " + title));
    browser.visible(By.cssSelector(Browser.item(mine)));
    browser.keep("remix-use-this-sound");
  }

  @Test
  void duetFromTheVideoPageSaysWhomItDuetsLinksToItAndPlays() throws Exception {
    browser.open("#/video/" + sourceVideo);
    browser.visible(By.cssSelector(Browser.item(sourceVideo) + " .remix-actions a.duet")).click();
    browser
        .waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector(".remix-choice .remix-source"), "@" + source.handle));

    String duet = uploadThroughThePage(clip("mine-duet.mp4", "testsrc2=size=360x640", "sine", 3));
    assertRemixResult(duet, "Duet with @" + source.handle, "duet", "remix-duet");

    // on my own video: switch remixes off; the Duet and Stitch buttons are gone from it
    browser.open("#/video/" + duet);
    browser.visible(By.cssSelector(Browser.item(duet) + " .remix-actions a.duet"));
    browser.visible(By.cssSelector(Browser.item(duet) + " .settings-toggle")).click();
    WebElement allowRemix =
        browser.visible(
            By.cssSelector(Browser.item(duet) + " .video-settings input[name=allowRemix]"));
    assertThat(allowRemix.isSelected()).isTrue();
    allowRemix.click();
    browser
        .waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector(Browser.item(duet) + " .settings-status"),
                "Allow duet & stitch: off"));
    assertThat(me.json(me.get("/api/v1/videos/" + duet)).get("allowRemix").asBoolean()).isFalse();
    driver.navigate().refresh();
    browser.visible(By.cssSelector(Browser.item(duet) + " .caption a.remix-of"));
    assertThat(driver.findElements(By.cssSelector(Browser.item(duet) + " .remix-actions")))
        .isEmpty();
  }

  @Test
  void stitchPicksOneToFiveSecondsOfTheOriginalSaysWhereFromAndPlays() throws Exception {
    browser.open("#/video/" + sourceVideo);
    browser.visible(By.cssSelector(Browser.item(sourceVideo) + " .remix-actions a.stitch")).click();
    browser
        .waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector(".remix-choice .remix-source"), "@" + source.handle));
    browser
        .visible(By.id("up-file"))
        .sendKeys(clip("mine-stitch.mp4", "smptebars=size=360x640", "sine", 3).toString());

    // 5.5 s is too long: said plainly on the page, nothing sent
    setNumber("stitch-from", "0");
    setNumber("stitch-to", "5.5");
    driver.findElement(By.cssSelector(".upload-form button[type=submit]")).click();
    browser
        .waitUpTo(10)
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
    browser.visible(By.id("up-file")).sendKeys(clip.toString());
    return submitAndAwaitReady();
  }

  private static String submitAndAwaitReady() {
    driver.findElement(By.cssSelector(".upload-form button[type=submit]")).click();
    WebElement ready =
        browser
            .waitUpTo(240)
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

    browser.open("#/video/" + remixId);
    WebElement remixOf =
        browser.visible(By.cssSelector(Browser.item(remixId) + " .caption a.remix-of"));
    assertThat(remixOf.getText()).isEqualTo(label);
    assertThat(remixOf.getAttribute("href")).endsWith("#/video/" + sourceVideo);
    browser.awaitPlaying(remixId);
    browser.keep(screenshot);
    // the label leads to the source
    remixOf.click();
    browser.visible(By.cssSelector(Browser.item(sourceVideo)));
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

  private static void setNumber(String id, String value) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }
}
