package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
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
 * The console in a real browser (Debian's chromium, headless, driven by its chromedriver) against
 * the cloud in a box: the operator logs in and sees the accounts; the tenant logs in, sees its
 * month's usage with its instance, and the instance's traffic graph drawn with points; logging out
 * returns to the login form. Screenshots are saved beside the test reports
 * ({@code deploy/target/console-screenshots}).
 */
class ConsoleBrowserIT {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String PASSWORD = "a console passphrase";
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static String instanceId;
  private WebDriver browser;
  private String testName;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    canopy = CanopyProcess.start(dir.resolve("data"));
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, PASSWORD + "\n");
    for (String account : List.of("admin", "default")) {
      CanopyCli.Result set = CanopyCli.run(dir, "account", "password", account, "--data", canopy.data().toString(),
          "--password-file", passwordFile.toString());
      assertThat(set.exit()).as(set.stderr()).isZero();
    }
    instanceId = TenantClients.runTinyInstance(canopy);
  }

  @AfterAll
  static void stop() throws Exception {
    if (canopy != null) {
      canopy.close();
    }
  }

  @BeforeEach
  void openBrowser(TestInfo test) {
    testName = test.getTestMethod().orElseThrow().getName();
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build(), options);
    browser.manage().timeouts().implicitlyWait(Duration.ZERO);
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (browser != null) {
      screenshot("end");
      browser.quit();
    }
  }

  @Test
  void theOperatorLogsInAndSeesTheAccounts() throws Exception {
    logIn("admin");

    WebElement accounts = waitFor(By.cssSelector("#accounts tbody tr"), Duration.ofSeconds(20));
    assertThat(accounts.getText()).contains("default");
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin (operator)");
    assertThat(browser.findElement(By.id("login")).isDisplayed()).as("the login form is gone").isFalse();
    assertThat(browser.findElement(By.id("tenant")).isDisplayed()).isFalse();
    screenshot("accounts");

    browser.findElement(By.id("logout")).click();
    waitFor(By.id("login"), Duration.ofSeconds(10));
    assertThat(browser.findElement(By.id("operator")).isDisplayed()).as("the accounts are gone").isFalse();
    assertThat(browser.manage().getCookieNamed("canopy_session")).isNull();
  }

  @Test
  void theTenantSeesItsInstancesUsageAndItsTrafficGraph() throws Exception {
    logIn("default");
    assertThat(waitFor(By.id("who"), Duration.ofSeconds(20)).getText()).isEqualTo("default");
    assertThat(browser.findElement(By.id("login")).isDisplayed()).as("the login form is gone").isFalse();
    assertThat(browser.findElement(By.id("operator")).isDisplayed()).as("no operator view for a tenant").isFalse();

    // The month's rows come from the folded ledger (traffic within seconds, run time within a
    // minute): reload until the instance is listed.
    WebElement link = new WebDriverWait(browser, Duration.ofSeconds(150), Duration.ofSeconds(5)).until(driver -> {
      List<WebElement> found = driver.findElements(By.xpath("//a[@class='resource' and text()='" + instanceId + "']"));
      if (found.isEmpty()) {
        driver.navigate().refresh();
        return null;
      }
      return found.get(0);
    });
    screenshot("usage");
    link.click();

    WebElement graph = new WebDriverWait(browser, Duration.ofSeconds(30)).until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#graph canvas")));
    assertThat(Integer.parseInt(browser.findElement(By.id("graph")).getAttribute("data-points"))).isPositive();
    assertThat(graph.getSize().getWidth()).isPositive();
    assertThat(browser.findElement(By.id("graph-title")).getText()).contains(instanceId);
    screenshot("graph");
  }

  @Test
  void aWrongPasswordShowsTheRefusalAndNoSessionStarts() throws Exception {
    browser.get(canopy.endpoint("console") + "/");
    waitFor(By.id("account"), Duration.ofSeconds(20)).sendKeys("default");
    browser.findElement(By.id("password")).sendKeys("not the passphrase");
    browser.findElement(By.cssSelector("#login button")).click();

    WebElement error = new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !error.getText().isEmpty());
    assertThat(error.getText()).contains("wrong");
    assertThat(browser.manage().getCookieNamed("canopy_session")).isNull();
  }

  private void logIn(String account) {
    browser.get(canopy.endpoint("console") + "/");
    waitFor(By.id("account"), Duration.ofSeconds(20)).sendKeys(account);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("#login button")).click();
    waitFor(By.cssSelector("#who:not([hidden])"), Duration.ofSeconds(20));
  }

  private WebElement waitFor(By what, Duration atMost) {
    return new WebDriverWait(browser, atMost).until(ExpectedConditions.visibilityOfElementLocated(what));
  }

  private void screenshot(String step) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(testName + "-" + step + ".png");
    Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
