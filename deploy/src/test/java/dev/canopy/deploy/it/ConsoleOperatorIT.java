package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The operator's console in a real browser against one cloud in a box: the login (and a refused
 * one) and logout, the cloud overview, every
 * instance with its state changing live, accounts (create, disable, enable, key rotation, each
 * checked with the AWS SDK), the event log, a bill's CSV; and over HTTP, what a tenant's session may
 * not do and may not see, and the error answers of the new calls. Screenshots in
 * {@code deploy/target/console-screenshots}.
 */
class ConsoleOperatorIT {

  private static final String PASSWORD = "a console passphrase";
  private static final Duration LIVE = Duration.ofSeconds(90);

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
  void theOperatorLogsInSeesTheAccountsNoTenantViewAndLogsOut() throws Exception {
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
  void aWrongPasswordShowsTheRefusalAndNoSessionStarts() throws Exception {
    browser.open("");
    WebDriver driver = browser.driver();
    browser.waitFor(By.id("account"), Duration.ofSeconds(20)).sendKeys("default");
    driver.findElement(By.id("password")).sendKeys("not the passphrase");
    driver.findElement(By.cssSelector("#login button")).click();

    WebElement error = browser.waitFor(By.id("login-error"), Duration.ofSeconds(20));
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !error.getText().isEmpty());
    assertThat(error.getText()).contains("wrong");
    assertThat(driver.manage().getCookieNamed("canopy_session")).isNull();
  }

  @Test
  void theCloudOverviewShowsTheLeaseHolderAndTheNodeAgentsCapacity() throws Exception {
    browser.logIn("admin", PASSWORD);
    browser.go("cloud");

    WebElement lease = browser.waitFor(By.id("lease"), Duration.ofSeconds(20));
    assertThat(lease.getAttribute("data-holder")).isEqualTo("1");
    assertThat(Long.parseLong(lease.getAttribute("data-epoch"))).isPositive();
    assertThat(browser.driver().findElement(By.cssSelector("#controllers tbody tr")).getText()).contains("up").contains("holder");
    WebElement node = browser.waitFor(By.cssSelector("#node-agents tbody tr"), Duration.ofSeconds(10));
    assertThat(node.getText()).contains("AVAILABLE").containsPattern("[1-9][0-9]* / [1-9][0-9]*");
    assertThat(node.findElement(By.cssSelector("a")).getAttribute("href")).contains("#/node?id=nd-");
    assertThat(browser.driver().findElement(By.cssSelector("#storage tbody tr")).getText()).contains("up");
    assertThat(browser.driver().findElements(By.cssSelector("#ring tbody tr"))).isNotEmpty();
    browser.screenshot("cloud");
  }

  @Test
  void anInstanceStoppedThroughTheSdkTurnsStoppedLiveAndItsTransitionsAreLogged() throws Exception {
    browser.logIn("admin", PASSWORD);
    browser.go("all-instances");
    WebDriver driver = browser.driver();
    By row = By.cssSelector("#all-instances tr[data-instance-id='" + instanceId + "']");
    WebElement state = browser.waitFor(row, Duration.ofSeconds(20)).findElement(By.cssSelector("td.state"));
    assertThat(state.getText()).isEqualTo("running");
    assertThat(driver.findElement(row).getText()).contains("default").contains("t3.nano");
    ((JavascriptExecutor) driver).executeScript("window.notReloaded = true;");
    browser.screenshot("instances-running");

    try (Ec2Client ec2 = TenantClients.ec2(canopy, TenantClients.tenant(canopy))) {
      ec2.stopInstances(r -> r.instanceIds(instanceId));
    }
    new WebDriverWait(driver, LIVE).until(d -> d.findElement(row).findElement(By.cssSelector("td.state")).getText().equals("stopped"));
    assertThat(((JavascriptExecutor) driver).executeScript("return window.notReloaded === true;")).as("no reload").isEqualTo(true);
    browser.screenshot("instances-stopped-live");

    // Search by id through the address: a link reproduces the view.
    browser.open("all-instances?q=" + instanceId.substring(2, 10));
    assertThat(browser.waitFor(By.id("instances-total"), Duration.ofSeconds(10)).getText()).startsWith("1 instance");

    browser.open("events?type=instance");
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
      String log = d.findElement(By.id("event-log")).getText();
      return log.contains(instanceId) && log.contains("to=running") && log.contains("from=stopping to=stopped");
    });
    browser.screenshot("event-log");
  }

  @Test
  void theOperatorCreatesDisablesEnablesAnAccountAndRotatesItsKey() throws Exception {
    browser.logIn("admin", PASSWORD);
    browser.go("accounts");
    WebDriver driver = browser.driver();
    browser.waitFor(By.id("new-account-name"), Duration.ofSeconds(10)).sendKeys("globex");
    driver.findElement(By.cssSelector("#create-account button")).click();
    String firstKey = browser.waitFor(By.id("new-key-id"), Duration.ofSeconds(20)).getText();
    String firstSecret = driver.findElement(By.id("new-key-secret")).getText();
    browser.waitFor(By.cssSelector("#accounts tr[data-account='globex']"), Duration.ofSeconds(10));
    browser.screenshot("account-created");
    StaticCredentialsProvider first = TenantClients.provider(firstKey, firstSecret);
    assertWorks(first);

    driver.findElement(By.cssSelector("button[data-disable='globex']")).click();
    awaitAccountState("globex", "disabled");
    browser.screenshot("account-disabled");
    assertRefused(first, "AuthFailure", "InvalidAccessKeyId");

    driver.findElement(By.cssSelector("button[data-enable='globex']")).click();
    awaitAccountState("globex", "enabled");
    assertWorks(first);

    browser.open("accounts?account=globex");
    browser.waitFor(By.id("create-key"), Duration.ofSeconds(10)).click();
    rerendered(Duration.ofSeconds(10)).until(d -> !d.findElement(By.id("new-key-id")).getText().equals(firstKey));
    String secondKey = driver.findElement(By.id("new-key-id")).getText();
    StaticCredentialsProvider second = TenantClients.provider(secondKey, driver.findElement(By.id("new-key-secret")).getText());
    browser.waitFor(By.cssSelector("button[data-deactivate='" + firstKey + "']"), Duration.ofSeconds(10)).click();
    rerendered(Duration.ofSeconds(10)).until(d ->
        d.findElement(By.cssSelector("#access-keys tr[data-key='" + firstKey + "'] td.key-status")).getText().equals("Inactive"));
    browser.waitFor(By.cssSelector("button[data-delete-key='" + firstKey + "']"), Duration.ofSeconds(10)).click();
    rerendered(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#access-keys tr[data-key='" + firstKey + "']")).isEmpty());
    assertThat(driver.findElement(By.id("access-keys")).getText()).contains(secondKey).doesNotContain(firstSecret);
    browser.screenshot("key-rotated");

    assertWorks(second);
    assertRefused(first, "AuthFailure", "InvalidAccessKeyId");
  }

  @Test
  void theBillingViewShowsTheMonthAndDownloadsItsCsv() throws Exception {
    ConsoleSessionClient tenant = new ConsoleSessionClient(canopy.endpoint("console")).logIn("default", PASSWORD);
    browser.logIn("admin", PASSWORD);
    browser.go("billing");
    new Select(browser.waitFor(By.id("billing-account"), Duration.ofSeconds(10))).selectByValue(tenant.accountId());
    browser.driver().findElement(By.cssSelector("#billing-form button")).click();
    assertThat(browser.waitFor(By.id("billing-total"), Duration.ofSeconds(20)).getText()).startsWith("Total of ");
    assertThat(browser.driver().getCurrentUrl()).contains("account=" + tenant.accountId());
    browser.driver().findElement(By.id("download-csv")).click();
    WebElement link = browser.waitFor(By.id("csv-link"), Duration.ofSeconds(30));
    assertThat(link.getAttribute("download")).endsWith(".csv");
    assertThat(Integer.parseInt(link.getAttribute("data-rows"))).isNotNegative();
    browser.screenshot("billing");

    ConsoleSessionClient operator = new ConsoleSessionClient(canopy.endpoint("console")).logIn("admin", PASSWORD);
    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    ConsoleSessionClient.Answer csv = operator.get("/admin/v1/billing/report?format=csv&month=" + month + "&account=" + tenant.accountId());
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.text().lines().findFirst().orElseThrow()).contains("BilledCost");
  }

  @Test
  void aTenantsSessionIsRefusedEveryOperatorCallAndItsStreamCarriesOnlyItsOwnEvents() throws Exception {
    String console = canopy.endpoint("console");
    ConsoleSessionClient operator = new ConsoleSessionClient(console).logIn("admin", PASSWORD);
    assertThat(operator.call("POST", "/admin/v1/accounts", "{\"name\":\"initech\"}", true).status()).isEqualTo(201);
    ConsoleSessionClient tenant = new ConsoleSessionClient(console).logIn("default", PASSWORD);

    for (String path : List.of("/api/cloud", "/api/admin/instances", "/api/admin/images", "/admin/v1/accounts",
        "/admin/v1/accounts/initech/keys")) {
      ConsoleSessionClient.Answer refused = tenant.get(path);
      assertThat(refused.status()).as(path).isEqualTo(403);
      assertThat(refused.code()).as(path).isEqualTo("AccessDenied");
    }
    assertThat(tenant.call("DELETE", "/api/admin/images/ami-0123456789abcdef0", null, true).status()).isEqualTo(403);
    assertThat(tenant.call("POST", "/admin/v1/accounts/initech/disable", "{}", true).status()).isEqualTo(403);

    ConsoleSessionClient.Stream tenantStream = tenant.stream("0", Duration.ofSeconds(4));
    assertThat(tenantStream.status()).isEqualTo(200);
    assertThat(tenantStream.contentType()).startsWith("text/event-stream");
    List<JsonNode> seen = tenantStream.logEvents();
    assertThat(seen).as("its own instance's transitions").anySatisfy(e -> assertThat(e.path("subject").asText()).isEqualTo(instanceId));
    assertThat(seen).allSatisfy(e -> assertThat(e.path("accountId").asText()).isEqualTo(tenant.accountId()));
    assertThat(tenantStream.lines()).filteredOn(l -> l.startsWith("id: ")).isNotEmpty();

    List<JsonNode> all = operator.stream("0", Duration.ofSeconds(4)).logEvents();
    assertThat(all).extracting(e -> e.path("subject").asText()).contains("initech", instanceId);
    assertThat(all).extracting(e -> e.path("type").asText()).contains("lease.holder", "node.enrolled");
    // Resuming after the last id seen sends only what came later.
    long last = all.get(all.size() - 1).path("seq").asLong();
    assertThat(operator.stream(Long.toString(last), Duration.ofSeconds(2)).logEvents())
        .allSatisfy(e -> assertThat(e.path("seq").asLong()).isGreaterThan(last));

    JsonNode page = tenant.get("/api/events/log?after=0&limit=1000").json();
    assertThat(page.path("events")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.path("accountId").asText()).isEqualTo(tenant.accountId()));
  }

  @Test
  void theNewCallsAnswerEveryErrorWithItsCode() throws Exception {
    String console = canopy.endpoint("console");
    ConsoleSessionClient nobody = new ConsoleSessionClient(console);
    for (String path : List.of("/api/cloud", "/api/admin/instances", "/api/events/log", "/api/events")) {
      ConsoleSessionClient.Answer refused = nobody.get(path);
      assertThat(refused.status()).as(path).isEqualTo(401);
      assertThat(refused.code()).as(path).isEqualTo("NoSession");
    }
    ConsoleSessionClient operator = new ConsoleSessionClient(console).logIn("admin", PASSWORD);
    assertThat(operator.call("DELETE", "/api/admin/images/ami-0123456789abcdef0", null, false).code()).isEqualTo("InvalidCsrfToken");
    assertThat(operator.call("POST", "/admin/v1/accounts/default/disable", "{}", false).status()).isEqualTo(403);
    for (String path : List.of("/api/events/log?after=abc", "/api/events/log?limit=0", "/api/events/log?type=%3Cx%3E",
        "/api/admin/instances?pageSize=0", "/api/admin/instances?state=%3Cscript%3E", "/api/admin/instances?page=x")) {
      ConsoleSessionClient.Answer bad = operator.get(path);
      assertThat(bad.status()).as(path).isEqualTo(400);
      assertThat(bad.code()).as(path).isEqualTo("InvalidParameterValue");
      assertThat(bad.text()).as(path).doesNotContain("<script>");
    }
    assertThat(operator.call("POST", "/admin/v1/accounts/nobody/disable", "{}", true).code()).isEqualTo("NoSuchAccount");
    assertThat(operator.call("DELETE", "/admin/v1/accounts/default/keys/AKIAAAAAAAAAAAAAAAAA", null, true).code()).isEqualTo("NoSuchEntity");
    assertThat(operator.call("DELETE", "/api/admin/images/ami-0123456789abcdef0", null, true).code()).isEqualTo("InvalidAMIID.NotFound");
    ConsoleSessionClient.Answer keys = operator.get("/admin/v1/accounts/default/keys");
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.text()).doesNotContain("ecret");
    assertThat(operator.call("POST", "/admin/v1/accounts/default/keys", "{}", true).status()).isEqualTo(201);
    assertThat(operator.call("POST", "/admin/v1/accounts/default/keys", "{}", true).code()).isEqualTo("LimitExceeded");
    ConsoleSessionClient.Answer cloud = operator.get("/api/cloud");
    assertThat(cloud.text()).doesNotContain("secret").doesNotContain("token").doesNotContain("BEGIN");
  }

  /** A wait over a listing the view draws again after each change: an element read mid-redraw is looked up again. */
  private WebDriverWait rerendered(Duration atMost) {
    WebDriverWait wait = new WebDriverWait(browser.driver(), atMost);
    wait.ignoring(StaleElementReferenceException.class);
    wait.ignoring(NoSuchElementException.class);
    return wait;
  }

  private void awaitAccountState(String account, String state) {
    rerendered(Duration.ofSeconds(10)).until(d ->
        d.findElement(By.cssSelector("#accounts tr[data-account='" + account + "'] td.account-state")).getText().equals(state));
  }

  /** EC2 and S3 both accept the key (S3's storage node may cache a refusal for half a second). */
  private static void assertWorks(StaticCredentialsProvider key) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
      try (Ec2Client ec2 = TenantClients.ec2(canopy, key); S3Client s3 = TenantClients.s3(canopy, key)) {
        ec2.describeInstances();
        s3.listBuckets();
      }
    });
  }

  /** EC2 refuses the key with {@code ec2Code}, S3 with {@code s3Code} (within the second S3's directory cache may take). */
  private static void assertRefused(StaticCredentialsProvider key, String ec2Code, String s3Code) {
    try (Ec2Client ec2 = TenantClients.ec2(canopy, key)) {
      assertThatThrownBy(ec2::describeInstances).isInstanceOfSatisfying(AwsServiceException.class,
          e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(ec2Code));
    }
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      try (S3Client s3 = TenantClients.s3(canopy, key)) {
        assertThatThrownBy(s3::listBuckets).isInstanceOfSatisfying(AwsServiceException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(s3Code));
      }
    });
  }
}
