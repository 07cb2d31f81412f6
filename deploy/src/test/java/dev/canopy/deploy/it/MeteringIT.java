package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metering end to end in the cloud in a box: an instance on the node agent (libvirt's test driver)
 * is sampled, its samples are folded by the lease holder, its owner graphs them over the usage API
 * with its own keys, another tenant is refused, and the bill from {@code canopy billing report}
 * carries the instance's run time in FOCUS columns.
 */
class MeteringIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static String instanceId;

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
    instanceId = TenantClients.runTinyInstance(canopy);
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  @Test
  void theOwnerGraphsItsInstanceAndAnotherTenantIsRefused() throws Exception {
    Credential owner = TenantClients.firstTenant(canopy);
    // The agent samples every 10 s; the first reading after a start is a baseline only.
    JsonNode series = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(
        () -> JSON.readTree(get("/api/usage/instances/" + instanceId + "?step=10", owner).body()),
        s -> line(s, "cpuNanos") != null && line(s, "rxBytes") != null);
    assertThat(series.path("instanceId").asText()).isEqualTo(instanceId);
    assertThat(line(series, "rxBytes").path("nic").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(line(series, "cpuNanos").path("points").get(0).size()).isEqualTo(2);

    CanopyCli.Result other = CanopyCli.run(dir, "account", "create", "other", "--data", canopy.data().toString());
    assertThat(other.exit()).as(other.stderr()).isZero();
    Credential stranger = new Credential(field(other.stdout(), "aws_access_key_id"), field(other.stdout(), "aws_secret_access_key"), "");
    HttpResponse<String> refused = get("/api/usage/instances/" + instanceId, stranger);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("AccessDenied").doesNotContain("cpuNanos");
    JsonNode strangersMonth = JSON.readTree(get("/api/usage/summary", stranger).body());
    assertThat(strangersMonth.toString()).doesNotContain(instanceId);

    HttpResponse<String> byAdmin = get("/api/usage/instances/" + instanceId, admin());
    assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(200);
    HttpResponse<String> badStep = get("/api/usage/instances/" + instanceId + "?step=7", owner);
    assertThat(badStep.statusCode()).isEqualTo(400);
    assertThat(badStep.body()).contains("InvalidParameterValue");
  }

  @Test
  void theMonthsBillCarriesTheInstancesRunTimeInFocusColumns() throws Exception {
    String month = YearMonth.now(ZoneOffset.UTC).toString();
    // Instance-seconds are folded once a minute.
    String csv = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(5)).until(
        () -> CanopyCli.run(dir, "billing", "report", "--account", "default", "--month", month, "--format", "csv",
            "--data", canopy.data().toString()).stdout(),
        out -> out.contains(instanceId) && out.contains("BoxUsage:t3.nano"));
    List<String> lines = csv.lines().toList();
    List<String> header = List.of(lines.get(0).split(","));
    assertThat(header).contains("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BillingAccountId",
        "ResourceId", "ResourceType", "ServiceName", "SkuId", "ConsumedQuantity", "ConsumedUnit", "ListUnitPrice", "BilledCost",
        "BillingCurrency", "ChargeClass", "Tags");
    String row = lines.stream().filter(l -> l.contains(instanceId) && l.contains("BoxUsage:t3.nano")).findFirst().orElseThrow();
    List<String> cells = List.of(row.split(",", -1));
    long seconds = Long.parseLong(cells.get(header.indexOf("ConsumedQuantity")));
    assertThat(seconds).isBetween(1L, 3600L);
    assertThat(cells.get(header.indexOf("ConsumedUnit"))).isEqualTo("Seconds");

    CanopyCli.Result json = CanopyCli.run(dir, "billing", "report", "--account", "default", "--month", month, "--format", "json",
        "--data", canopy.data().toString());
    assertThat(json.exit()).as(json.stderr()).isZero();
    JsonNode report = JSON.readTree(json.stdout());
    BigDecimal sum = BigDecimal.ZERO;
    List<String> resources = new ArrayList<>();
    for (JsonNode r : report.path("rows")) {
      sum = sum.add(new BigDecimal(r.path("BilledCost").asText()));
      resources.add(r.path("ResourceId").asText());
    }
    assertThat(new BigDecimal(report.path("BilledCost").asText())).isEqualByComparingTo(sum);
    assertThat(resources).contains(instanceId);

    // The month-end run over every account: the tenant's month, billed at least what its report
    // billed a moment ago (the instance still runs, so later passes only add).
    CanopyCli.Result totals = CanopyCli.run(dir, "billing", "totals", "--month", month, "--data", canopy.data().toString());
    assertThat(totals.exit()).as(totals.stderr()).isZero();
    JsonNode run = JSON.readTree(totals.stdout());
    JsonNode tenant = null;
    for (JsonNode account : run.path("accounts")) {
      if (account.path("BillingAccountName").asText().equals("default")) {
        tenant = account;
      }
    }
    assertThat(tenant).as(totals.stdout()).isNotNull();
    assertThat(tenant.path("totals").findValuesAsText("ResourceId")).contains(instanceId);
    assertThat(new BigDecimal(tenant.path("BilledCost").asText())).isGreaterThanOrEqualTo(new BigDecimal(report.path("BilledCost").asText()));

    CanopyCli.Result unknown = CanopyCli.run(dir, "billing", "report", "--account", "nobody-here", "--month", month,
        "--data", canopy.data().toString());
    assertThat(unknown.exit()).isEqualTo(1);
  }

  private static JsonNode line(JsonNode series, String metric) {
    for (JsonNode line : series.path("series")) {
      if (line.path("metric").asText().equals(metric) && !line.path("points").isEmpty()) {
        return line;
      }
    }
    return null;
  }

  private static HttpResponse<String> get(String pathAndQuery, Credential who) throws Exception {
    return HTTP.send(AdminRequests.signedGet(URI.create(canopy.endpoint("console") + pathAndQuery), who.accessKeyId(),
        who.secretAccessKey(), canopy.region()), HttpResponse.BodyHandlers.ofString());
  }

  private static Credential admin() throws Exception {
    return CloudFiles.readProfile(canopy.data().resolve("admin/credentials"), CloudFiles.ADMIN_PROFILE,
        IdentityService.ADMIN_ACCOUNT_ID).orElseThrow();
  }

  private static String field(String output, String name) {
    Matcher m = Pattern.compile(Pattern.quote(name) + " = (\\S+)").matcher(output);
    assertThat(m.find()).as("'%s' in: %s", name, output).isTrue();
    return m.group(1);
  }
}
