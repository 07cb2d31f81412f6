package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The tenant portal in a real browser (Debian's chromium) against one cloud in a box: a tenant
 * launches an instance from the form and sees it running, reads its console output, creates a key
 * pair (downloaded once), a security group with a rule, a bucket with an uploaded and downloaded
 * object, downloads the month's FOCUS CSV, sees the instance's traffic graph with points, then stops
 * and terminates it. Then the portal's APIs over plain HTTP with session cookies: every refusal
 * (no session, no CSRF token, another tenant's resources, the operator, malformed input) and no
 * secret in any answer. The tests run in order and share the cloud; screenshots per step are in
 * {@code deploy/target/console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsolePortalIT {

  private static final String PASSWORD = "a console passphrase";
  private static final String INSTANCE_NAME = "portal-web";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static String instanceId;
  @RegisterExtension final ConsoleBrowser browser = new ConsoleBrowser(() -> canopy.endpoint("console"));

  @BeforeAll
  static void start() throws Exception {
    ConsoleBrowser.assumeChromium();
    canopy = ConsoleBrowser.startCloud(dir, PASSWORD);
    CanopyCli.Result other = CanopyCli.run(dir, "account", "create", "other", "--data", canopy.data().toString(),
        "--console-password-file", dir.resolve("password").toString());
    assertThat(other.exit()).as(other.stderr()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    if (canopy != null) {
      canopy.close();
    }
  }

  @Test
  @Order(1)
  void aTenantLaunchesAnInstanceFromTheFormAndReadsItsConsole() throws Exception {
    browser.logIn("default", PASSWORD);
    browser.go("instances");
    WebDriver driver = browser.driver();
    WebElement image = browser.waitFor(By.id("launch-image"), Duration.ofSeconds(20));
    assertThat(new Select(image).getOptions()).isNotEmpty();
    new Select(driver.findElement(By.id("launch-type"))).selectByValue("t3.nano");
    driver.findElement(By.id("launch-name")).sendKeys(INSTANCE_NAME);
    browser.screenshot("1-launch-form");
    driver.findElement(By.cssSelector("#launch button[type=submit]")).click();

    // The list follows the instance's state changes by itself (the live event stream): no reload.
    // It redraws its rows as they come, so each look finds the row again.
    instanceId = redrawn(driver, Duration.ofSeconds(90)).until(d -> d.findElements(By.cssSelector("#instance-rows tr"))
        .stream().filter(r -> r.getText().contains(INSTANCE_NAME) && "running".equals(r.getAttribute("data-state")))
        .map(r -> r.getAttribute("data-instance-id")).findFirst().orElse(null));
    assertThat(instanceId).startsWith("i-");
    browser.screenshot("2-running");

    By launched = By.cssSelector("#instance-rows tr[data-instance-id='" + instanceId + "']");
    clickInRow(driver, launched, "button[data-action=GetConsoleOutput]");
    WebElement output = browser.waitFor(By.id("console-output"), Duration.ofSeconds(20));
    assertThat(output.getTagName()).isEqualTo("pre");
    assertThat(output.getAttribute("data-instance-id")).isEqualTo(instanceId);
    assertThat(output.getText()).isNotEmpty();

    // The filter narrows the list, and the address keeps it.
    driver.findElement(By.id("instance-filter")).sendKeys("no-such-instance-name");
    new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !d.findElement(By.cssSelector("#instance-rows tr[data-instance-id='" + instanceId + "']")).isDisplayed());
    assertThat(driver.getCurrentUrl()).contains("q=no-such-instance-name");
    browser.screenshot("3-console-output");
  }

  @Test
  @Order(2)
  void aCreatedKeyPairIsDownloadedOnceAndListed() throws Exception {
    browser.logIn("default", PASSWORD);
    browser.go("keypairs");
    WebDriver driver = browser.driver();
    browser.waitFor(By.id("keypair-name"), Duration.ofSeconds(10)).sendKeys("portal-key");
    driver.findElement(By.cssSelector("#keypair-create button[type=submit]")).click();

    Path pem = browser.awaitDownload("portal-key.pem", Duration.ofSeconds(20));
    assertThat(Files.readString(pem)).contains("PRIVATE KEY");
    WebElement row = browser.waitFor(By.cssSelector("#keypairs tr[data-key-name='portal-key']"), Duration.ofSeconds(10));
    // ed25519 keys have EC2's base64 SHA-256 fingerprint.
    assertThat(row.getText()).containsPattern("portal-key [A-Za-z0-9+/]{43}= ed25519");
    assertThat(driver.getPageSource()).as("the private key is not kept in the page").doesNotContain("PRIVATE KEY");
    browser.screenshot("keypair");
  }

  @Test
  @Order(3)
  void aSecurityGroupGetsAnIngressRule() throws Exception {
    browser.logIn("default", PASSWORD);
    browser.go("securitygroups");
    WebDriver driver = browser.driver();
    browser.waitFor(By.id("group-name"), Duration.ofSeconds(10)).sendKeys("portal-web");
    driver.findElement(By.id("group-description")).sendKeys("web servers");
    driver.findElement(By.cssSelector("#group-create button[type=submit]")).click();

    WebElement group = browser.waitFor(By.cssSelector("section.group[data-group-name='portal-web']"), Duration.ofSeconds(10));
    WebElement form = group.findElement(By.cssSelector("form.rule-add"));
    form.findElement(By.name("from")).clear();
    form.findElement(By.name("from")).sendKeys("80");
    form.findElement(By.name("to")).clear();
    form.findElement(By.name("to")).sendKeys("80");
    form.findElement(By.name("source")).clear();
    form.findElement(By.name("source")).sendKeys("10.0.0.0/8");
    form.findElement(By.cssSelector("button[type=submit]")).click();

    WebElement rules = new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector("section.group[data-group-name='portal-web'] table.rules tbody tr"));
      return found.stream().filter(r -> r.getText().contains("10.0.0.0/8")).findFirst().orElse(null);
    });
    assertThat(rules.getText()).contains("tcp").contains("80");
    browser.screenshot("security-group");
  }

  @Test
  @Order(4)
  void aBucketTakesAnUploadGivesItBackAndRefusesDeletionWhileFull() throws Exception {
    browser.logIn("default", PASSWORD);
    browser.go("buckets");
    WebDriver driver = browser.driver();
    browser.waitFor(By.id("bucket-name"), Duration.ofSeconds(10)).sendKeys("portal-bucket");
    driver.findElement(By.cssSelector("#bucket-create button[type=submit]")).click();
    browser.waitFor(By.cssSelector("a[data-bucket='portal-bucket']"), Duration.ofSeconds(10)).click();

    byte[] bytes = new byte[3 * 1024 * 1024 + 17];
    new Random(15).nextBytes(bytes);
    Path file = dir.resolve("photo.bin");
    Files.write(file, bytes);
    browser.waitFor(By.id("upload-files"), Duration.ofSeconds(10));
    driver.findElement(By.id("upload-files")).sendKeys(file.toString());
    driver.findElement(By.cssSelector("#upload button[type=submit]")).click();
    WebElement link = browser.waitFor(By.cssSelector("#objects a[data-key='photo.bin']"), Duration.ofSeconds(30));
    assertThat(driver.findElement(By.id("objects")).getText()).contains("3.0 MiB");
    browser.screenshot("uploaded");

    link.click();
    Path downloaded = browser.awaitDownload("photo.bin", Duration.ofSeconds(30));
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(bytes);

    // S3's own refusal, as S3 words it.
    browser.go("buckets");
    browser.waitFor(By.cssSelector("button[data-action=DeleteBucket][data-bucket='portal-bucket']"), Duration.ofSeconds(10)).click();
    browser.waitFor(By.cssSelector("button[data-confirm=DeleteBucket]"), Duration.ofSeconds(5)).click();
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("buckets-notice")).getText().contains("BucketNotEmpty")
        || d.findElement(By.id("buckets-notice")).getText().contains("not empty"));
    browser.screenshot("bucket-not-empty");

    driver.findElement(By.cssSelector("a[data-bucket='portal-bucket']")).click();
    browser.waitFor(By.cssSelector("button[data-action=DeleteObject][data-key='photo.bin']"), Duration.ofSeconds(10)).click();
    browser.waitFor(By.cssSelector("button[data-confirm=DeleteObject]"), Duration.ofSeconds(5)).click();
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#objects a[data-key='photo.bin']")).isEmpty()
        && !d.findElements(By.id("objects")).isEmpty());
    browser.screenshot("object-deleted");
  }

  @Test
  @Order(5)
  void theBillsViewDownloadsTheMonthsFocusCsv() throws Exception {
    browser.logIn("default", PASSWORD);
    browser.go("bills");
    String month = YearMonth.now(ZoneOffset.UTC).toString();
    browser.waitFor(By.id("bill-total"), Duration.ofSeconds(20));
    browser.screenshot("bills");
    browser.driver().findElement(By.id("bill-csv")).click();
    Path csv = browser.awaitDownload("canopy-bill-default-" + month + ".csv", Duration.ofSeconds(30));
    String header = Files.readAllLines(csv).get(0);
    assertThat(header.split(",")).contains("BillingAccountId", "ChargePeriodStart", "ChargePeriodEnd", "BilledCost", "EffectiveCost",
        "ResourceId", "SkuId", "ConsumedQuantity", "BillingCurrency");
  }

  @Test
  @Order(6)
  void theInstancesTrafficGraphHasPointsThenItStopsAndTerminates() throws Exception {
    assertThat(instanceId).as("launched by the first test").isNotNull();
    browser.logIn("default", PASSWORD);
    browser.go("instances");
    WebDriver driver = browser.driver();
    By row = By.cssSelector("#instance-rows tr[data-instance-id='" + instanceId + "']");
    browser.waitFor(row, Duration.ofSeconds(20));
    clickInRow(driver, row, "a[data-action=graph]");
    // Samples reach the graph about every 10 s: reload until the graph has points.
    new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofSeconds(3)).until(d -> {
      List<WebElement> graph = d.findElements(By.id("graph"));
      if (graph.isEmpty() || Integer.parseInt(graph.get(0).getAttribute("data-points")) == 0) {
        d.navigate().refresh();
        return false;
      }
      return true;
    });
    assertThat(driver.findElements(By.cssSelector("#graph canvas"))).isNotEmpty();
    browser.screenshot("graph");

    browser.go("instances");
    browser.waitFor(row, Duration.ofSeconds(20));
    clickInRow(driver, row, "button[data-action=StopInstances]");
    redrawn(driver, Duration.ofSeconds(60)).until(d -> "stopped".equals(d.findElement(row).getAttribute("data-state")));
    browser.screenshot("stopped");
    clickInRow(driver, row, "button[data-action=TerminateInstances]");
    clickInRow(driver, row, "button[data-confirm=TerminateInstances]");
    redrawn(driver, Duration.ofSeconds(60)).until(d -> d.findElements(row).isEmpty()
        || "terminated".equals(d.findElement(row).getAttribute("data-state")));
    browser.screenshot("terminated");
  }

  /** A wait over a list that redraws its rows as events come: an element gone stale is looked up again. */
  private static WebDriverWait redrawn(WebDriver driver, Duration atMost) {
    WebDriverWait wait = new WebDriverWait(driver, atMost);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Clicks an element of a list row, finding the row again if the list redrew it meanwhile. */
  private static void clickInRow(WebDriver driver, By row, String selector) {
    redrawn(driver, Duration.ofSeconds(20)).until(d -> {
      d.findElement(row).findElement(By.cssSelector(selector)).click();
      return true;
    });
  }

  // ---- The APIs with session cookies, over plain HTTP ----

  @Test
  @Order(10)
  void ec2ThroughTheConsoleRefusesWhatTheEc2ApiRefuses() throws Exception {
    Session tenant = Session.logIn("default");
    Session other = Session.logIn("other");
    Session operator = Session.logIn("admin");

    assertError(post("/api/ec2", null, null, "Action=DescribeInstances"), 401, "NoSession");
    assertError(post("/api/ec2", tenant, null, "Action=CreateKeyPair&KeyName=no-csrf"), 403, "InvalidCsrfToken");
    HttpResponse<String> read = post("/api/ec2", tenant, null, "Action=DescribeKeyPairs");
    assertThat(read.statusCode()).as("a Describe needs no CSRF token").isEqualTo(200);
    assertThat(read.body()).contains("<DescribeKeyPairsResponse").contains("portal-key");
    assertError(post("/api/ec2", operator, operator.csrf, "Action=DescribeInstances"), 403, "AccessDenied");
    // Another tenant's instance is not there for it, exactly as on the EC2 port.
    assertError(post("/api/ec2", other, other.csrf, "Action=StopInstances&InstanceId.1=" + someInstanceOf(tenant)), 400,
        "InvalidInstanceID.NotFound");
    assertError(post("/api/ec2", tenant, tenant.csrf, "Action=RunInstances&MinCount=one"), 400, null);
    assertError(post("/api/ec2", tenant, tenant.csrf, "Action=NoSuchAction"), 400, "InvalidAction");
    assertError(post("/api/ec2", tenant, tenant.csrf, "InstanceId=i-1"), 400, "MissingAction");
    HttpResponse<String> created = post("/api/ec2", tenant, tenant.csrf, "Action=CreateKeyPair&KeyName=api-key");
    assertThat(created.statusCode()).isEqualTo(200);
    assertNoSecret(read, created);
  }

  @Test
  @Order(11)
  void s3ThroughTheConsoleIsSignedAsTheSessionsAccount() throws Exception {
    Session tenant = Session.logIn("default");
    Session other = Session.logIn("other");
    Session operator = Session.logIn("admin");

    assertError(send("GET", "/api/s3/buckets", null, null, null), 401, "NoSession");
    assertError(send("PUT", "/api/s3/buckets/api-bucket", tenant, null, null), 403, "InvalidCsrfToken");
    assertThat(send("PUT", "/api/s3/buckets/api-bucket", tenant, tenant.csrf, null).statusCode()).isEqualTo(201);
    HttpResponse<String> put = send("PUT", "/api/s3/buckets/api-bucket/object?key=" + enc("notes/a b.txt"), tenant, tenant.csrf, "hello");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    HttpResponse<String> got = send("GET", "/api/s3/buckets/api-bucket/object?key=" + enc("notes/a b.txt"), tenant, null, null);
    assertThat(got.body()).isEqualTo("hello");
    assertThat(got.headers().firstValue("content-disposition").orElseThrow()).startsWith("attachment;").contains("a b.txt");
    assertThat(got.headers().firstValue("content-type").orElseThrow()).isEqualTo("application/octet-stream");
    JsonNode listing = JSON.readTree(send("GET", "/api/s3/buckets/api-bucket/objects", tenant, null, null).body());
    assertThat(listing.path("folders").get(0).asText()).isEqualTo("notes/");

    // The other tenant gets S3's own answers for a bucket it does not own.
    assertError(send("GET", "/api/s3/buckets/api-bucket/objects", other, null, null), 403, "AccessDenied");
    assertError(send("GET", "/api/s3/buckets/api-bucket/object?key=" + enc("notes/a b.txt"), other, null, null), 403, "AccessDenied");
    assertError(send("DELETE", "/api/s3/buckets/api-bucket/object?key=" + enc("notes/a b.txt"), other, other.csrf, null), 403, "AccessDenied");
    assertError(send("GET", "/api/s3/buckets", operator, null, null), 403, "AccessDenied");
    assertError(send("GET", "/api/s3/buckets/Not_A_Bucket/objects", tenant, null, null), 400, "InvalidBucketName");
    assertError(send("GET", "/api/s3/buckets/api-bucket/objects?max=0", tenant, null, null), 400, "InvalidParameterValue");
    assertError(send("GET", "/api/s3/buckets/api-bucket/object", tenant, null, null), 400, "InvalidParameterValue");
    assertError(send("DELETE", "/api/s3/buckets/api-bucket", tenant, tenant.csrf, null), 409, "BucketNotEmpty");
    assertThat(send("DELETE", "/api/s3/buckets/api-bucket/object?key=" + enc("notes/a b.txt"), tenant, tenant.csrf, null).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", "/api/s3/buckets/api-bucket", tenant, tenant.csrf, null).statusCode()).isEqualTo(204);
    assertNoSecret(got, put);
  }

  @Test
  @Order(12)
  void theBillIsTheSessionAccountsOwnAndAnyForTheOperator() throws Exception {
    Session tenant = Session.logIn("default");
    Session operator = Session.logIn("admin");
    String month = YearMonth.now(ZoneOffset.UTC).toString();

    HttpResponse<String> csv = send("GET", "/api/billing/report?format=csv&month=" + month, tenant, null, null);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-disposition").orElseThrow()).contains("canopy-bill-default-" + month + ".csv");
    assertThat(csv.body().lines().findFirst().orElseThrow()).contains("BilledCost");
    assertError(send("GET", "/api/billing/report?month=" + month + "&account=other", tenant, null, null), 403, "AccessDenied");
    assertError(send("GET", "/api/billing/report?month=2026-13", tenant, null, null), 400, "InvalidParameterValue");
    assertError(send("GET", "/api/billing/report?month=" + month + "&format=pdf", tenant, null, null), 400, "InvalidParameterValue");
    assertError(send("GET", "/api/billing/report?month=" + month, new Session("expired-or-forged", null), null, null), 401, "NoSession");
    HttpResponse<String> any = send("GET", "/api/billing/report?month=" + month + "&account=other", operator, null, null);
    assertThat(any.statusCode()).isEqualTo(200);
    // Signed requests are taken too, as by the usage API.
    Credential key = TenantClients.firstTenant(canopy);
    HttpResponse<String> signed = HTTP.send(AdminRequests.signedGet(URI.create(canopy.endpoint("console") + "/api/billing/report?month=" + month),
        key.accessKeyId(), key.secretAccessKey(), canopy.region(), "canopy"), HttpResponse.BodyHandlers.ofString());
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    String ownId = JSON.readTree(send("GET", "/api/billing/report?month=" + month, tenant, null, null).body()).path("BillingAccountId").asText();
    assertThat(JSON.readTree(signed.body()).path("BillingAccountId").asText()).isNotEmpty().isEqualTo(ownId);
    assertNoSecret(csv, any);
  }

  private static String someInstanceOf(Session tenant) throws Exception {
    String body = post("/api/ec2", tenant, null, "Action=DescribeInstances").body();
    int at = body.indexOf("<instanceId>");
    assertThat(at).as("the tenant has an instance").isPositive();
    return body.substring(at + "<instanceId>".length(), body.indexOf("</instanceId>", at));
  }

  private static void assertError(HttpResponse<String> answer, int status, String code) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    JsonNode error = JSON.readTree(answer.body());
    if (code != null) {
      assertThat(error.path("code").asText()).isEqualTo(code);
    }
    assertThat(error.path("message").asText()).isNotEmpty().doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** No answer carries the tenant's secret access key. */
  @SafeVarargs
  private static void assertNoSecret(HttpResponse<String>... answers) throws Exception {
    String secret = TenantClients.firstTenant(canopy).secretAccessKey();
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.body()).doesNotContain(secret);
      assertThat(answer.headers().map().toString()).doesNotContain(secret);
    }
  }

  private static String enc(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static HttpResponse<String> post(String path, Session session, String csrf, String form) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(canopy.endpoint("console") + path))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    return HTTP.send(withSession(request, session, csrf).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String method, String path, Session session, String csrf, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(canopy.endpoint("console") + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(withSession(request, session, csrf).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder withSession(HttpRequest.Builder request, Session session, String csrf) {
    if (session != null) {
      request.header("cookie", "canopy_session=" + session.token);
    }
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    return request;
  }

  /** A console session: its cookie's token and its CSRF token. */
  private record Session(String token, String csrf) {
    static Session logIn(String account) throws Exception {
      HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(canopy.endpoint("console") + "/api/session"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + account + "\",\"password\":\"" + PASSWORD + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      String cookie = login.headers().firstValue("set-cookie").orElseThrow();
      String token = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
      return new Session(token, JSON.readTree(login.body()).path("csrfToken").asText());
    }
  }
}
