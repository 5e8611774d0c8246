package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web app in a real headless Chromium (Debian's chromium + chromium-driver, never a downloaded
 * browser) against the real node and infra: sign up, upload a generated clip with a moving progress
 * bar, processing until READY, playback (currentTime advances), a swipe to the next video, like,
 * comment and follow. The steps run in order in one browser session; on a failure the screenshot,
 * DOM and console log are kept under target/browser-artifacts/.
 *
 * <p>No autoplay flag is passed: the app autoplays muted, which browsers allow without a gesture.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppIT {
  @TempDir static Path tmp;

  static ChromeDriver driver;

  @RegisterExtension static final Browser browser = new Browser();

  static TestCluster cluster;
  static ApiClient other; // a second creator, whose video comes next in the feed
  static String otherVideo;
  static String tag;
  static String handle;
  static String myId;
  static String myVideo;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.get();
    tag = "webapp" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
    // the second creator's video transcodes while the browser signs up and uploads
    other = ApiClient.signedUp(cluster, "other");
    Path clip = clip("other.mp4", "360x640", 3, "-crf", "28");
    otherVideo =
        other.upload(Files.readAllBytes(clip), "video/mp4", "the next one", List.of(tag, "next"));
    driver = browser.driver();
  }

  static Path clip(String name, String size, int seconds, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + size + ":rate=30:duration=" + seconds,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=" + seconds,
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest"));
    args.addAll(List.of(extra));
    Path out = tmp.resolve(name);
    List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-y", "-v", "error"));
    command.addAll(args);
    command.add(out.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + log);
    }
    return out;
  }

  // ---- helpers

  // ---- the journey

  @Test
  @Order(1)
  void signUp() {
    handle = "web_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 35), 36);
    browser.signUp(handle);
    myId =
        (String) browser.js("return JSON.parse(localStorage.getItem('flick.session')).account.id;");
    assertThat(myId).isNotBlank();
  }

  @Test
  @Order(2)
  void uploadShowsProgressThenProcessingThenReady() throws Exception {
    // big enough, and the upload throttled, for the bar to be seen moving
    Path clip = clip("mine.mp4", "360x640", 3, "-crf", "10");
    assertThat(Files.size(clip)).isGreaterThan(300_000);
    browser.open("#/upload");
    browser.visible(By.id("up-file")).sendKeys(clip.toString());
    driver.findElement(By.id("up-caption")).sendKeys("made in the browser #" + tag);
    driver.findElement(By.id("up-tags")).sendKeys("browser");
    driver.setNetworkConditions(
        new ChromiumNetworkConditions() {
          {
            setUploadThroughput(400 * 1024);
            setDownloadThroughput(100 * 1024 * 1024);
            setLatency(Duration.ZERO);
          }
        });
    try {
      driver.findElement(By.cssSelector(".upload-form button[type=submit]")).click();
      // the bar is on screen and moves between 0 and 100
      WebElement bar = browser.visible(By.cssSelector(".upload-state progress"));
      browser
          .waitUpTo(60)
          .until(
              d -> {
                double v = Double.parseDouble(bar.getAttribute("value"));
                return v > 0 && v < 100;
              });
      browser
          .waitUpTo(60)
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector(".upload-state .upload-status"), "Processing"));
    } finally {
      driver.deleteNetworkConditions();
    }
    @SuppressWarnings("unchecked")
    List<Number> seen = (List<Number>) browser.js("return window.__flick.uploadProgress;");
    assertThat(seen.stream().mapToInt(Number::intValue))
        .as("progress seen by the page")
        .anyMatch(p -> p > 0 && p < 100)
        .contains(100);

    WebElement ready =
        browser
            .waitUpTo(240)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".upload-state.ready")));
    String watch = ready.findElement(By.cssSelector("a.watch")).getAttribute("href");
    myVideo = watch.substring(watch.lastIndexOf('/') + 1);
    assertThat(myVideo).isNotBlank();

    // then it is in the creator's profile: grid of videos, counts
    ready.findElement(By.cssSelector("a.profile")).click();
    browser.visible(By.cssSelector(".grid li[data-id='" + myVideo + "'][data-status=READY] img"));
    assertThat(browser.text(".profile-head h1")).isEqualTo("@" + handle);
    assertThat(browser.text(".counts .followers")).isEqualTo("0");
    assertThat(browser.text(".counts .following")).isEqualTo("0");
  }

  @Test
  @Order(3)
  void itPlaysMutedUntilTheFirstTap() {
    driver.findElement(By.cssSelector(".grid li[data-id='" + myVideo + "'] a")).click();
    browser.awaitPlaying(myVideo);
    assertThat(
            (Boolean)
                browser.js(
                    "return document.querySelector(arguments[0]).muted;",
                    Browser.item(myVideo) + " video"))
        .as("autoplay is muted")
        .isTrue();
    driver.findElement(By.cssSelector(Browser.item(myVideo) + " .tap")).click();
    browser
        .waitUpTo(10)
        .until(
            d ->
                !(Boolean)
                    browser.js(
                        "return document.querySelector(arguments[0]).muted;",
                        Browser.item(myVideo) + " video"));
    browser.awaitPlaying(myVideo); // the first tap turned the sound on, it did not pause
  }

  @Test
  @Order(4)
  void swipeToTheNextVideoThenLikeCommentAndFollow() throws Exception {
    other.awaitJson(
        "/api/v1/videos/" + otherVideo,
        v -> v.get("status").asText().equals("READY"),
        Duration.ofSeconds(180));
    // both are in the hashtag's index (the listing projection, seconds after READY)
    other.awaitJson(
        "/api/v1/hashtags/" + tag + "/videos",
        page -> page.get("items").findValuesAsText("id").containsAll(List.of(myVideo, otherVideo)),
        Duration.ofSeconds(30));
    // the hashtag feed, newest first: my upload, then the other creator's
    browser.open("#/tag/" + tag);
    browser.awaitPlaying(myVideo);
    // the next items start loading only once the active one presented its first frame (or 1.5 s on)
    assertThat(
            (Boolean)
                browser
                    .waitUpTo(30)
                    .until(
                        d ->
                            browser.js(
                                "const t = window.__flick.timings.filter(x => x.id === arguments[0])"
                                    + ".pop(); return t && t.preloadAt ? (t.frame !== null"
                                    + " && t.preloadAt >= t.frame) || t.preloadAt - t.t0 >= 1499"
                                    + " : null;",
                                myVideo)))
        .as("preloading waited for the first frame")
        .isTrue();
    WebElement next = driver.findElement(By.cssSelector(Browser.item(otherVideo)));
    assertThat(next.getAttribute("data-index")).isEqualTo("1");
    // the next item was preloaded (first segment only) before the swipe
    browser
        .waitUpTo(30)
        .until(
            d ->
                (Boolean)
                    browser.js(
                        "return document.querySelector(arguments[0]).readyState >= 2;",
                        Browser.item(otherVideo) + " video"));

    new Actions(driver).sendKeys(Keys.ARROW_DOWN).perform();
    browser.awaitPlaying(otherVideo);
    assertThat(
            (Boolean)
                browser.js(
                    "return document.querySelector(arguments[0]).paused;",
                    Browser.item(myVideo) + " video"))
        .as("the previous video stopped")
        .isTrue();

    // like: a double-tap on the video (the first tap also turns the sound on)
    WebElement likeButton = driver.findElement(By.cssSelector(Browser.item(otherVideo) + " .like"));
    assertThat(likeButton.getAttribute("aria-pressed")).isEqualTo("false");
    new Actions(driver)
        .doubleClick(driver.findElement(By.cssSelector(Browser.item(otherVideo) + " .tap")))
        .perform();
    browser
        .waitUpTo(15)
        .until(ExpectedConditions.attributeToBe(likeButton, "aria-pressed", "true"));
    assertThat(browser.text(Browser.item(otherVideo) + " .like .count")).isEqualTo("1");
    other.awaitJson(
        "/api/v1/videos/" + otherVideo,
        v -> v.get("counts").get("likes").asLong() == 1,
        Duration.ofSeconds(30));

    // comment: the sheet opens, the comment appears in it and is stored
    driver.findElement(By.cssSelector(Browser.item(otherVideo) + " .comment")).click();
    WebElement input = browser.visible(By.id("comment-text"));
    input.sendKeys("nice one from the browser");
    driver.findElement(By.cssSelector(".comment-form button[type=submit]")).click();
    browser
        .waitUpTo(15)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".sheet .comments"), "nice one from the browser"));
    assertThat(browser.text(".sheet .comments li:first-child .who")).isEqualTo("@" + handle);
    JsonNode comments = other.json(other.get("/api/v1/videos/" + otherVideo + "/comments"));
    assertThat(comments.get("items").get(0).get("text").asText())
        .isEqualTo("nice one from the browser");
    new Actions(driver).sendKeys(Keys.ESCAPE).perform();
    browser
        .waitUpTo(5)
        .until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".sheet")));
    assertThat(browser.text(Browser.item(otherVideo) + " .comment .count")).isEqualTo("1");

    // follow from the overlay
    WebElement follow = driver.findElement(By.cssSelector(Browser.item(otherVideo) + " .follow"));
    assertThat(follow.getText()).isEqualTo("Follow");
    follow.click();
    browser.waitUpTo(15).until(ExpectedConditions.attributeToBe(follow, "aria-pressed", "true"));
    assertThat(follow.getText()).isEqualTo("Following");

    // leaving a video counts its view (it was only preloaded before this test): the app sends it
    // with its watch time in its next batch of events
    new Actions(driver).sendKeys(Keys.ARROW_UP).perform();
    browser.awaitPlaying(myVideo);
    other.awaitJson(
        "/api/v1/videos/" + otherVideo,
        v -> v.get("counts").get("views").asLong() >= 1,
        Duration.ofSeconds(30));

    // the counts on both profiles (the creator's follower count takes the follow in through a
    // projection, seconds later: the page shows what the server has when it opens)
    other.awaitJson(
        "/api/v1/users/" + other.userId,
        p -> p.get("counts").get("followers").asLong() == 1,
        Duration.ofSeconds(30));
    browser.open("#/user/" + other.userId);
    browser
        .waitUpTo(30)
        .until(ExpectedConditions.textToBe(By.cssSelector(".counts .followers"), "1"));
    assertThat(
            driver
                .findElement(By.cssSelector(".profile-head .follow"))
                .getAttribute("aria-pressed"))
        .isEqualTo("true");
    browser.open("#/user/" + myId);
    browser
        .waitUpTo(30)
        .until(ExpectedConditions.textToBe(By.cssSelector(".counts .following"), "1"));

    // on their own profile they give themselves a name: it heads the page, the handle under it
    var name = browser.visible(By.cssSelector("form.display-name input[name=displayName]"));
    name.clear();
    name.sendKeys("  Ada   Lovelace ");
    driver.findElement(By.cssSelector("form.display-name button[type=submit]")).click();
    browser
        .waitUpTo(30)
        .until(
            ExpectedConditions.textToBe(By.cssSelector(".profile-head .names h1"), "Ada Lovelace"));
    assertThat(browser.text(".profile-head .names .handle")).startsWith("@");
  }

  /**
   * Search from the box: as-you-type suggests the hashtag, a typo still finds the video, the
   * Hashtags tab lists the tag, and a {@code #tag} query lists the tag's videos.
   */
  @Test
  @Order(6)
  void searchSuggestsAsYouTypeAndForgivesATypo() {
    browser.open("#/");
    WebElement box = browser.visible(By.id("search-q"));
    box.sendKeys(tag.substring(0, 7));
    browser
        .waitUpTo(60)
        .until(
            d ->
                (Boolean)
                    browser.js(
                        "return [...document.querySelectorAll('#search-suggestions option')]"
                            + ".some(o => o.value === arguments[0]);",
                        "#" + tag));
    box.clear();
    String typo = tag.substring(0, 5) + tag.substring(6);
    box.sendKeys(typo);
    box.submit();
    browser.visible(By.cssSelector(".search-results a[href='#/video/" + otherVideo + "']"));
    driver.findElement(By.cssSelector(".search-tabs a[href$='type=hashtags']")).click();
    browser.visible(By.cssSelector(".search-results a[href='#/tag/" + tag + "']"));
    // a #tag query goes straight to the tag's videos
    WebElement again = browser.visible(By.id("search-q"));
    again.clear();
    again.sendKeys("#" + tag);
    again.submit();
    browser.waitUpTo(30).until(d -> d.getCurrentUrl().contains("%23" + tag));
    browser.visible(By.cssSelector(".search-results a[href='#/video/" + otherVideo + "']"));
  }

  /**
   * Discover suggests the creators the people you follow follow (here: whom {@code other}, followed
   * in step 4, follows), and following one from there is a real follow.
   */
  @Test
  @Order(7)
  void discoverSuggestsWhomTheFollowedFollowAndFollowsFromThere() throws Exception {
    ApiClient star = ApiClient.signedUp(cluster, "star");
    assertThat(other.post("/api/v1/users/" + star.userId + "/follow", "").statusCode())
        .isBetween(200, 204);
    browser.open("#/discover");
    WebElement follow =
        browser.visible(
            By.cssSelector(".suggested li[data-user='" + star.userId + "'] button.follow"));
    assertThat(follow.getText()).isEqualTo("Follow");
    follow.click();
    browser.waitUpTo(15).until(ExpectedConditions.attributeToBe(follow, "aria-pressed", "true"));
    other.awaitJson(
        "/api/v1/users/" + myId + "/following",
        page -> page.get("items").findValuesAsText("id").contains(star.userId),
        Duration.ofSeconds(30));
  }

  @Test
  @Order(5)
  void errorsAreShownPlainly() {
    browser.open("#/video/0000000000000000000000000");
    WebElement message = browser.visible(By.cssSelector("main .message.error"));
    assertThat(message.getText()).contains("Could not load this video").contains("no video");
    browser.open("#/no/such/page");
    assertThat(browser.visible(By.cssSelector("main .message.error")).getText())
        .contains("There is no page at /no/such/page");
    assertThat((String) browser.js("return document.querySelector('main').innerText.trim();"))
        .as("never a blank screen")
        .isNotEmpty();
  }

  /**
   * Issue 18: a moderator holds a reported video from the moderation page, and releases it; a user
   * who is not a moderator is told the page is not for them.
   */
  @Test
  @Order(8)
  void aModeratorHoldsAndReleasesAReportedVideoFromTheModerationPage() throws Exception {
    String userSession = (String) browser.js("return localStorage.getItem('flick.session');");
    browser.open("#/moderation");
    assertThat(browser.visible(By.cssSelector("main .message.error")).getText())
        .contains("Moderation is for moderators");

    ApiClient reporter = ApiClient.signedUp(cluster, "mod");
    Path clip = clip("reported.mp4", "360x640", 2);
    String video = reporter.upload(Files.readAllBytes(clip), "video/mp4", "reported", List.of());
    assertThat(reporter.awaitOutcome(video).get("status").asText()).isEqualTo("READY");
    var filed =
        reporter.post(
            "/api/v1/reports",
            "{\"targetKind\":\"video\",\"targetId\":\"" + video + "\",\"reason\":\"spam\"}");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);

    String token =
        new io.flick.api.auth.TokenService(
                TestCluster.JWT_SECRET, Duration.ofHours(1), java.time.Clock.systemUTC())
            .issue(TestCluster.MODERATOR_ID, "moderator")
            .token();
    browser.js(
        "localStorage.setItem('flick.session', JSON.stringify({token: arguments[0],"
            + " account: {id: arguments[1], handle: 'moderator'}}));",
        token,
        TestCluster.MODERATOR_ID);
    String row = ".report[data-target='" + video + "']";
    // the queue is a projection: reload until the report is in it
    browser.open("#/moderation");
    browser
        .waitUpTo(60)
        .until(
            d -> {
              if (!d.findElements(By.cssSelector(row)).isEmpty()) {
                return true;
              }
              d.navigate().refresh();
              return false;
            });
    driver.findElement(By.cssSelector(row + " button.hold")).click();
    assertThat(browser.visible(By.cssSelector(".moderation-status")).getText())
        .contains("Give a reason");
    driver.findElement(By.cssSelector(row + " input")).sendKeys("looks like spam");
    driver.findElement(By.cssSelector(row + " button.hold")).click();
    browser
        .waitUpTo(30)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".moderation-status"), "held"));
    assertThat(reporter.json(reporter.get("/api/v1/videos/" + video)).get("status").asText())
        .isEqualTo("HELD");

    driver.findElement(By.cssSelector(row + " button.release")).click();
    browser
        .waitUpTo(30)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".moderation-status"), "released"));
    assertThat(reporter.json(reporter.get("/api/v1/videos/" + video)).get("status").asText())
        .isEqualTo("READY");
    // back to the signed-up user of the earlier steps
    browser.js("localStorage.setItem('flick.session', arguments[0]);", userSession);
  }
}
