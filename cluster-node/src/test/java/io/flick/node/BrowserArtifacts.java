package io.flick.node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogType;

/**
 * When a browser test fails, keeps what the browser showed: a screenshot, the page's DOM and its
 * console log, under {@code cluster-node/target/browser-artifacts/<test>.*}.
 */
final class BrowserArtifacts implements AfterTestExecutionCallback {
  static final Path DIR = Path.of("target", "browser-artifacts");

  private final Supplier<WebDriver> driver;

  BrowserArtifacts(Supplier<WebDriver> driver) {
    this.driver = driver;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    WebDriver browser = driver.get();
    if (browser == null) {
      return;
    }
    String name =
        context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getRequiredTestMethod().getName();
    try {
      Files.createDirectories(DIR);
      Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(png, DIR.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(
          DIR.resolve(name + ".html"),
          "<!-- " + browser.getCurrentUrl() + " -->\n" + browser.getPageSource(),
          StandardCharsets.UTF_8);
      String console =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .map(Object::toString)
              .collect(Collectors.joining("\n"));
      Files.writeString(DIR.resolve(name + ".console.txt"), console, StandardCharsets.UTF_8);
      System.err.println("browser artifacts of the failure: " + DIR.toAbsolutePath() + "/" + name);
    } catch (Exception e) {
      System.err.println("could not keep browser artifacts for " + name + ": " + e);
    }
  }
}
