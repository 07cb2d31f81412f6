package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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

  private static final String PASSWORD = "a console passphrase";

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static String instanceId;
  @RegisterExtension final ConsoleBrowser browser = new ConsoleBrowser(() -> canopy.endpoint("console"));

  @BeforeAll
  static void start() throws Exception {
    ConsoleBrowser.assumeChromium();
    canopy = ConsoleBrowser.startCloud(dir, PASSWORD);
    instanceId = TenantClients.runTinyInstance(canopy);
  }

  @AfterAll
  static void stop() throws Exception {
    if (canopy != null) {
      canopy.close();
    }
  }

  @Test
  void theOperatorLogsInAndSeesTheAccounts() throws Exception {
    browser.logIn("admin", PASSWORD);
    WebDriver driver = browser.driver();

    WebElement accounts = browser.waitFor(By.cssSelector("#accounts tbody tr"), Duration.ofSeconds(20));
    assertThat(accounts.getText()).contains("default");
    assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("admin (operator)");
    assertThat(driver.findElement(By.id("login")).isDisplayed()).as("the login form is gone").isFalse();
    assertThat(driver.findElements(By.cssSelector("#nav a[data-view='usage']"))).as("no tenant view for the operator").isEmpty();
    browser.screenshot("accounts");

    driver.findElement(By.id("logout")).click();
    browser.waitFor(By.id("login"), Duration.ofSeconds(10));
    assertThat(driver.findElement(By.id("view")).isDisplayed()).as("the accounts are gone").isFalse();
    assertThat(driver.findElements(By.id("accounts"))).isEmpty();
    assertThat(driver.manage().getCookieNamed("canopy_session")).isNull();
  }

  @Test
  void theTenantSeesItsInstancesUsageAndItsTrafficGraph() throws Exception {
    browser.logIn("default", PASSWORD);
    WebDriver driver = browser.driver();
    assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("default");
    assertThat(driver.findElement(By.id("login")).isDisplayed()).as("the login form is gone").isFalse();
    assertThat(driver.findElements(By.cssSelector("#nav a[data-view='accounts']"))).as("no operator view for a tenant").isEmpty();
    browser.go("usage");

    // The month's rows come from the folded ledger (traffic within seconds, run time within a
    // minute): reload until the instance is listed.
    WebElement link = new WebDriverWait(driver, Duration.ofSeconds(150), Duration.ofSeconds(5)).until(d -> {
      List<WebElement> found = d.findElements(By.xpath("//a[@class='resource' and text()='" + instanceId + "']"));
      if (found.isEmpty()) {
        d.navigate().refresh();
        return null;
      }
      return found.get(0);
    });
    browser.screenshot("usage");
    link.click();

    WebElement graph = new WebDriverWait(driver, Duration.ofSeconds(30)).until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#graph canvas")));
    assertThat(Integer.parseInt(driver.findElement(By.id("graph")).getAttribute("data-points"))).isPositive();
    assertThat(graph.getSize().getWidth()).isPositive();
    assertThat(driver.findElement(By.id("graph-title")).getText()).contains(instanceId);
    assertThat(driver.getCurrentUrl()).as("the address reproduces the view").contains("instance=" + instanceId);
    browser.screenshot("graph");
  }

  @Test
  void aWrongPasswordShowsTheRefusalAndNoSessionStarts() throws Exception {
    browser.open("");
    WebDriver driver = browser.driver();
    browser.waitFor(By.id("account"), Duration.ofSeconds(20)).sendKeys("default");
    driver.findElement(By.id("password")).sendKeys("not the passphrase");
    driver.findElement(By.cssSelector("#login button")).click();

    WebElement error = new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !error.getText().isEmpty());
    assertThat(error.getText()).contains("wrong");
    assertThat(driver.manage().getCookieNamed("canopy_session")).isNull();
  }
}
