package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Studio page in a real headless Chromium at phone width: a creator's video is watched, liked
 * and shared by viewers from two regions on two devices (through the API), then the creator opens
 * the Studio from their profile and sees exactly the API's figures, its plots (uPlot from the
 * WebJar, under the app's Content-Security-Policy) and the video's retention curve and audience. A
 * screenshot of each page is kept in {@code target/browser-artifacts/} whatever the outcome.
 */
@Timeout(600)
class StudioWebIT {
  static final String MOBILE = "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36";
  static final String DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0";

  @TempDir static Path tmp;
  static ChromeDriver driver;

  @RegisterExtension static final Browser browser = new Browser();

  @BeforeAll
  static void start() {
    driver = browser.driver();
  }

  @Test
  void theCreatorSeesTheApisFiguresPlotsAndRetentionInTheStudio() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "studioweb", "US");
    String handle = creator.json(creator.get("/api/v1/me")).get("handle").asText();
    String videoId =
        creator.upload(ApiClient.testClip(tmp, 4), "video/mp4", "plotted", List.of("studioweb"));
    assertThat(creator.awaitOutcome(videoId).get("status").asText()).isEqualTo("READY");
    long d = creator.json(creator.get("/api/v1/videos/" + videoId)).get("durationMs").asLong();

    ApiClient de = StudioIT.viewer(cluster, "DE", MOBILE);
    ApiClient br = StudioIT.viewer(cluster, "BR", DESKTOP);
    ApiClient fr = StudioIT.viewer(cluster, "FR", MOBILE);
    StudioIT.view(de, videoId, d, true, "foryou");
    StudioIT.view(br, videoId, d / 2, false, "hashtag");
    StudioIT.view(fr, videoId, d / 5, false, "link");
    assertThat(de.post("/api/v1/videos/" + videoId + "/like", "").statusCode()).isEqualTo(200);
    assertThat(br.post("/api/v1/videos/" + videoId + "/share", "").statusCode()).isEqualTo(202);
    JsonNode overview =
        creator.awaitJson(
            "/api/v1/studio/overview?range=7d",
            o ->
                StudioIT.value(o, "views") == 3
                    && StudioIT.value(o, "likes") == 1
                    && StudioIT.value(o, "shares") == 1,
            Duration.ofSeconds(60));
    JsonNode detail = creator.json(creator.get("/api/v1/studio/videos/" + videoId + "?range=7d"));

    // log in, then the Studio from the own profile
    browser.logIn(handle);
    browser.open("#/user/" + creator.userId);
    browser.visible(By.cssSelector(".studio-link")).click();
    browser.visible(By.cssSelector(".studio .figure[data-figure='views']"));
    overview = creator.json(creator.get("/api/v1/studio/overview?range=7d"));
    for (String name :
        List.of(
            "views",
            "uniqueViewers",
            "likes",
            "comments",
            "shares",
            "watchMs",
            "averageWatchMs",
            "completionRate",
            "followersGained")) {
      assertThat(
              Double.parseDouble(
                  driver
                      .findElement(By.cssSelector(".figure[data-figure='" + name + "']"))
                      .getAttribute("data-value")))
          .as(name)
          .isEqualTo(overview.get("figures").get(name).get("value").asDouble());
    }
    assertThat(browser.text(".figure[data-figure='views'] .figure-value")).isEqualTo("3");
    // the plots are drawn (uPlot canvases) and the page fits a phone's width
    browser
        .waitUpTo(30)
        .until(d2 -> driver.findElements(By.cssSelector(".plot-daily .uplot canvas")).size() == 1);
    browser
        .waitUpTo(30)
        .until(d2 -> driver.findElements(By.cssSelector(".plot-hourly .uplot canvas")).size() == 1);
    assertThat(
            (Boolean)
                browser.js("return document.documentElement.scrollWidth <= window.innerWidth;"))
        .as("no sideways scrolling at phone width")
        .isTrue();
    WebElement row =
        browser.visible(By.cssSelector(".studio-videos tr[data-video='" + videoId + "']"));
    assertThat(row.findElement(By.cssSelector("td[data-col='views']")).getText()).isEqualTo("3");
    browser.keep("studio-overview");

    // the video's page: retention curve, sources, audience by region and device
    row.findElement(By.cssSelector("a")).click();
    browser.visible(By.cssSelector(".studio-video .plot-retention"));
    browser
        .waitUpTo(30)
        .until(
            d2 -> driver.findElements(By.cssSelector(".plot-retention .uplot canvas")).size() == 1);
    StringBuilder points = new StringBuilder();
    for (JsonNode p : detail.get("retention")) {
      points
          .append(points.length() == 0 ? "" : " ")
          .append(String.format(java.util.Locale.ROOT, "%.3f", p.get("share").asDouble()));
    }
    assertThat(driver.findElement(By.cssSelector(".plot-retention")).getAttribute("data-points"))
        .isEqualTo(points.toString());
    // the curve falls: all three at the start, the one who finished at the end
    assertThat(detail.get("retention").get(0).get("share").asDouble()).isEqualTo(1.0);
    assertThat(detail.get("retention").get(20).get("share").asDouble()).isEqualTo(1 / 3.0);
    for (String[] expected :
        List.of(
            new String[] {"regions", "DE", "1"},
            new String[] {"regions", "BR", "1"},
            new String[] {"regions", "FR", "1"},
            new String[] {"devices", "mobile", "2"},
            new String[] {"devices", "desktop", "1"},
            new String[] {"sources", "foryou", "1"},
            new String[] {"sources", "hashtag", "1"},
            new String[] {"sources", "link", "1"})) {
      assertThat(
              driver
                  .findElement(
                      By.cssSelector(
                          ".breakdown." + expected[0] + " li[data-key='" + expected[1] + "']"))
                  .getAttribute("data-value"))
          .as(String.join(" ", expected))
          .isEqualTo(expected[2]);
    }
    browser.keep("studio-video");

    // the video's last 48 hours by hour: the same views, plotted per hour as the API gives them
    JsonNode hours = creator.json(creator.get("/api/v1/studio/videos/" + videoId + "?range=48h"));
    assertThat(StudioIT.value(hours, "views")).isEqualTo(3);
    driver.findElement(By.cssSelector(".ranges a[href$='range=48h']")).click();
    browser.visible(By.cssSelector(".studio-video[data-range='48h'] .figure[data-figure='views']"));
    assertThat(
            browser.text(
                ".studio-video[data-range='48h'] .figure[data-figure='views'] .figure-value"))
        .isEqualTo("3");
    browser
        .waitUpTo(30)
        .until(
            d2 ->
                driver
                        .findElements(By.cssSelector(".studio-video .plot-hourly .uplot canvas"))
                        .size()
                    == 1);
    StringBuilder hourly = new StringBuilder();
    for (JsonNode p : hours.get("hourly")) {
      hourly.append(hourly.length() == 0 ? "" : " ").append(p.get("views").asLong());
    }
    assertThat(driver.findElement(By.cssSelector(".plot-hourly")).getAttribute("data-views"))
        .isEqualTo(hourly.toString());
    browser.keep("studio-video-48h");
  }
}
