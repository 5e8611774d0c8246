package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The headless Chromium of a browser IT (Debian's chromium + chromium-driver, never a downloaded
 * one), as a JUnit extension: started on first use at phone width, quit after the class; after each
 * test, no page it walked through made the browser refuse anything under the app's
 * Content-Security-Policy (issue 18: a refusal is logged to the console); on a failure, what the
 * browser showed is kept ({@link BrowserArtifacts}). Plus the waits and look-ups the web ITs share.
 */
final class Browser implements AfterTestExecutionCallback, AfterEachCallback, AfterAllCallback {
  static final String CHROMIUM =
      System.getenv().getOrDefault("FLICK_CHROMIUM", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getenv().getOrDefault("FLICK_CHROMEDRIVER", "/usr/bin/chromedriver");

  private ChromeDriver driver;
  private Path profile;
  private final BrowserArtifacts artifacts = new BrowserArtifacts(() -> driver);

  /** The browser, started now if it is not yet (so a test can start uploads first). */
  synchronized ChromeDriver driver() {
    if (driver == null) {
      try {
        profile = Files.createTempDirectory("flick-chromium-profile");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      driver = chromium(profile);
    }
    return driver;
  }

  private static ChromeDriver chromium(Path profile) {
    // fail loudly, never skip: CI installs these with scripts/install-deps.sh --browser
    for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new AssertionError(
            binary
                + " is missing: the browser tests need Debian's chromium and chromium-driver"
                + " (scripts/install-deps.sh --browser installs them)");
      }
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--mute-audio",
        "--window-size=412,915", // phone portrait first
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    artifacts.afterTestExecution(context);
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (driver == null) {
      return;
    }
    List<String> violations =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
            .toList();
    assertThat(violations).as("CSP violations in the console").isEmpty();
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete the browser profile " + profile + ": " + e);
      }
      profile = null;
    }
  }

  /** Opens the app at {@code hash} on the test node as it is now (a restart moves its port). */
  void open(String hash) {
    driver().get(TestCluster.get().baseUrl() + "/" + hash);
  }

  /** Signs up as {@code handle} through the app's page; returns once the app shows it signed in. */
  void signUp(String handle) {
    submitAccount("#/signup", handle);
  }

  /** Logs in as {@code handle} through the app's page; returns once the app shows it signed in. */
  void logIn(String handle) {
    submitAccount("#/login", handle);
  }

  private void submitAccount(String page, String handle) {
    open(page);
    visible(By.id("auth-handle")).sendKeys(handle);
    driver().findElement(By.id("auth-password")).sendKeys(ApiClient.PASSWORD);
    driver().findElement(By.cssSelector("form button[type=submit]")).click();
    waitUpTo(30).until(ExpectedConditions.textToBe(By.cssSelector(".me-link"), "@" + handle));
  }

  WebDriverWait waitUpTo(int seconds) {
    WebDriverWait wait = new WebDriverWait(driver(), Duration.ofSeconds(seconds));
    wait.pollingEvery(Duration.ofMillis(100));
    return wait;
  }

  WebElement visible(By by) {
    return waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver()).executeScript(script, args);
  }

  String text(String css) {
    return driver().findElement(By.cssSelector(css)).getText().trim();
  }

  /** The CSS selector of a video's item in a feed or grid. */
  static String item(String videoId) {
    return ".item[data-id='" + videoId + "']";
  }

  /** Waits until the video of that item plays: currentTime moves forward by at least 0.5 s. */
  void awaitPlaying(String videoId) {
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

  /** Keeps a screenshot of the page as {@code target/browser-artifacts/<name>.png}. */
  void keep(String name) throws IOException {
    Files.createDirectories(BrowserArtifacts.DIR);
    Path png = ((TakesScreenshot) driver()).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        png, BrowserArtifacts.DIR.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
