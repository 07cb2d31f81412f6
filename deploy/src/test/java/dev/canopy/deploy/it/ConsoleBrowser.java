package dev.canopy.deploy.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A fresh headless chromium (Debian's, driven by its chromedriver; no browser download) for each
 * test of a console browser test, with the steps every such test takes: open the console, log in,
 * wait for an element, save a screenshot beside the test reports ({@code target/console-screenshots}).
 * A test class without chromium is skipped, by name.
 *
 * <pre>{@code @RegisterExtension final ConsoleBrowser browser = new ConsoleBrowser(() -> canopy.endpoint("console"));}</pre>
 */
final class ConsoleBrowser implements BeforeEachCallback, AfterEachCallback {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Path DOWNLOADS = Path.of("target", "console-downloads");

  private final java.util.function.Supplier<String> console;
  private WebDriver driver;
  private String testName;
  private Path downloads;

  ConsoleBrowser(java.util.function.Supplier<String> console) {
    this.console = console;
  }

  /**
   * A cloud in a box for a console test class: started in {@code dir/data}, with {@code password} as
   * the console password of the operator and of the first tenant ({@code default}).
   */
  static CanopyProcess startCloud(Path dir, String password) throws Exception {
    CanopyProcess canopy = CanopyProcess.start(dir.resolve("data"));
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, password + "\n");
    for (String account : java.util.List.of("admin", "default")) {
      CanopyCli.Result set = CanopyCli.run(dir, "account", "password", account, "--data", canopy.data().toString(),
          "--password-file", passwordFile.toString());
      if (set.exit() != 0) {
        canopy.close();
        throw new AssertionError("the console password of " + account + " was not set: " + set.stderr());
      }
    }
    return canopy;
  }

  /** Skips the calling test class unless chromium and its driver are installed. */
  static void assumeChromium() {
    assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    assumeChromium();
    testName = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
    // Downloads land in a folder of the test's own, without asking.
    downloads = DOWNLOADS.resolve(testName).toAbsolutePath();
    try {
      Files.createDirectories(downloads);
      try (var old = Files.list(downloads)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900")
        .setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
            "download.prompt_for_download", false, "safebrowsing.enabled", false));
    driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build(), options);
    driver.manage().timeouts().implicitlyWait(Duration.ZERO);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (driver != null) {
      try {
        screenshot("end");
      } finally {
        driver.quit();
        driver = null;
      }
    }
  }

  /** Where this test's browser saves downloads. */
  Path downloads() {
    return downloads;
  }

  /** Waits until a download of that name is complete in {@link #downloads()} (chromium writes a .crdownload first). */
  Path awaitDownload(String name, Duration atMost) {
    Path file = downloads.resolve(name);
    new WebDriverWait(driver, atMost).until(d -> Files.exists(file) && !Files.exists(downloads.resolve(name + ".crdownload")));
    return file;
  }

  WebDriver driver() {
    return driver;
  }

  /** The console's address (no trailing slash). */
  String console() {
    return console.get();
  }

  /** Opens the console at {@code #/hash} (empty for the first view) without logging in. */
  void open(String hash) {
    driver.get(console() + "/" + (hash.isEmpty() ? "" : "#/" + hash));
  }

  /** Logs in from the login form and waits until the session's name shows. */
  void logIn(String account, String password) {
    open("");
    waitFor(By.id("account"), Duration.ofSeconds(20)).sendKeys(account);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.cssSelector("#login button")).click();
    waitFor(By.cssSelector("#who:not([hidden])"), Duration.ofSeconds(20));
  }

  /** Goes to a view by its navigation link, as a user clicks it, and waits for the view to show. */
  void go(String view) {
    waitFor(By.cssSelector("#nav a[data-view='" + view + "']"), Duration.ofSeconds(10)).click();
    waitFor(By.cssSelector("#view .view[data-view='" + view + "']"), Duration.ofSeconds(10));
  }

  WebElement waitFor(By what, Duration atMost) {
    return new WebDriverWait(driver, atMost).until(ExpectedConditions.visibilityOfElementLocated(what));
  }

  void screenshot(String step) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(testName + "-" + step + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }
}
