package dev.canopy.cloud.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.metering.usage.MonthUsage;
import dev.canopy.cloud.usageapi.FakeUsage;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /admin/v1/billing/report} through the real console endpoint, over a fake metering store. */
class BillingReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VM = "i-0123456789abcdef0";
  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final PriceSheet PRICES = new PriceSheet("USD", Map.of(
      "BoxUsage:t3.micro", new BigDecimal("0.0104"), "DataTransfer-Out-Bytes", new BigDecimal("0.09")));

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static String acmeId;
  static Credential acmeKey;

  @BeforeAll
  static void start() throws Exception {
    FakeUsage usage = new FakeUsage();
    endpoint = AdminEndpoint.withUsage(dir, usage, PRICES, InstantSource.fixed(Instant.parse("2026-12-06T12:00:00Z")));
    NewAccount acme = endpoint.identity.createAccount("acme");
    acmeId = acme.account().id();
    acmeKey = acme.credential();
    bigMonth(usage, endpoint.identity.createAccount("bigco").account().id());
    Instant hour = Instant.parse("2026-11-03T10:00:00Z");
    usage.month(new MonthUsage(acmeId, NOVEMBER, true, List.of(
        new HourlyUsage(acmeId, VM, UsageType.INSTANCE_SECONDS, "t3.micro", hour, 3_600, Map.of("Name", "web")),
        new HourlyUsage(acmeId, VM, UsageType.NETWORK_OUT, null, hour, 1L << 30, Map.of("Name", "web"))),
        List.of(new MonthUsage.Correction(
            new HourlyUsage(acmeId, VM, UsageType.NETWORK_IN, null, Instant.parse("2026-10-31T23:00:00Z"), 5, Map.of()),
            Instant.parse("2026-11-02T00:00:00Z")))));
  }

  /** A whole month of three instances: 2,160 rows, a report of many chunks. */
  private static void bigMonth(FakeUsage usage, String accountId) {
    List<HourlyUsage> hours = new java.util.ArrayList<>();
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    for (int vm = 0; vm < 3; vm++) {
      for (int h = 0; h < 720; h++) {
        hours.add(new HourlyUsage(accountId, "i-000000000000000b" + vm, UsageType.INSTANCE_SECONDS, "t3.micro",
            start.plusSeconds(3_600L * h), 1 + h, Map.of()));
      }
    }
    usage.month(new MonthUsage(accountId, NOVEMBER, true, hours, List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void csvHasTheFocusHeaderAndARowPerResourceSkuAndHourWithCorrectionsLast() throws Exception {
    HttpResponse<String> response = endpoint.get("/admin/v1/billing/report?account=acme&month=2026-11&format=csv");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
    List<String> lines = response.body().lines().toList();
    assertThat(lines.get(0)).startsWith("x_LineId,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,"
        + "ChargeCategory,ChargeClass,").contains(",ResourceId,ResourceType,SkuId,ConsumedQuantity,ConsumedUnit,")
        .contains(",ListUnitPrice,ListCost,BilledCost,EffectiveCost,BillingCurrency,Tags");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).contains("BoxUsage:t3.micro").contains(",3600,Seconds,").contains("2026-11-03T10:00:00Z");
    assertThat(lines.get(2)).contains("DataTransfer-Out-Bytes").contains(",1073741824,Bytes,").contains(",0.0900000000,");
    assertThat(lines.get(3)).contains(",Correction,").contains("DataTransfer-In-Bytes").contains("2026-10-31T23:00:00Z");
  }

  @Test
  void jsonIsTheDefaultAndItsTotalIsTheSumOfItsRows() throws Exception {
    JsonNode report = ok(endpoint.get("/admin/v1/billing/report?account=acme&month=2026-11"));
    List<JsonNode> rows = StreamSupport.stream(report.path("rows").spliterator(), false).toList();
    assertThat(rows).hasSize(3);
    BigDecimal sum = rows.stream().map(r -> new BigDecimal(r.path("BilledCost").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(new BigDecimal(report.path("BilledCost").asText())).isEqualTo(sum);
    assertThat(report.path("BilledCost").asText()).isEqualTo("0.1004000000");
    assertThat(report.path("BillingAccountId").asText()).isEqualTo(acmeId);
    assertThat(rows.get(0).path("Tags").path("Name").asText()).isEqualTo("web");
  }

  @Test
  void aLargeMonthArrivesWholeInEitherFormat() throws Exception {
    HttpResponse<String> csv = endpoint.get("/admin/v1/billing/report?account=bigco&month=2026-11&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().length()).as("several 64 Ki-character chunks").isGreaterThan(500_000);
    assertThat(csv.body().lines().toList()).hasSize(1 + 2_160).last().asString().contains("i-000000000000000b2").contains(",720,Seconds,");
    JsonNode json = ok(endpoint.get("/admin/v1/billing/report?account=bigco&month=2026-11"));
    List<JsonNode> rows = StreamSupport.stream(json.path("rows").spliterator(), false).toList();
    assertThat(rows).hasSize(2_160);
    BigDecimal sum = rows.stream().map(r -> new BigDecimal(r.path("BilledCost").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(new BigDecimal(json.path("BilledCost").asText())).isEqualTo(sum).isPositive();
  }

  @Test
  void anAccountIsNamedByNameOrId() throws Exception {
    String byName = endpoint.get("/admin/v1/billing/report?account=acme&month=2026-11&format=csv").body();
    String byId = endpoint.get("/admin/v1/billing/report?account=" + acmeId + "&month=2026-11&format=csv").body();
    assertThat(byId).isEqualTo(byName);
  }

  @Test
  void aMonthWithoutUsageIsTheHeaderAlone() throws Exception {
    HttpResponse<String> response = endpoint.get("/admin/v1/billing/report?account=acme&month=2026-12&format=csv");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().lines().toList()).hasSize(1).first().asString().startsWith("x_LineId,");
    assertThat(ok(endpoint.get("/admin/v1/billing/report?account=acme&month=2026-12")).path("BilledCost").asText()).isEqualTo("0.0000000000");
  }

  @Test
  void aMissingOrMalformedMonthOrFormatIsInvalidParameterValue() throws Exception {
    for (String query : List.of("account=acme", "account=acme&month=2026-13", "account=acme&month=26-11", "account=acme&month=2026-11-01",
        "account=acme&month=november", "account=acme&month=2026-11&format=xml", "account=acme&month=2026-11&format=", "month=2026-11")) {
      HttpResponse<String> response = endpoint.get("/admin/v1/billing/report?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(code(response)).as(query).isEqualTo("InvalidParameterValue");
    }
  }

  @Test
  void anUnknownAccountIsNoSuchAccount() throws Exception {
    for (String account : List.of("nobody", "999999999999")) {
      HttpResponse<String> response = endpoint.get("/admin/v1/billing/report?account=" + account + "&month=2026-11");
      assertThat(response.statusCode()).as(account).isEqualTo(404);
      assertThat(code(response)).isEqualTo("NoSuchAccount");
    }
  }

  @Test
  void onlyTheAdministratorReadsBills() throws Exception {
    HttpResponse<String> asTenant = endpoint.getAs(acmeKey, "/admin/v1/billing/report?account=acme&month=2026-11");
    assertThat(asTenant.statusCode()).isEqualTo(403);
    assertThat(code(asTenant)).isEqualTo("AccessDenied");
    HttpResponse<String> unsigned = endpoint.getUnsigned("/admin/v1/billing/report?account=acme&month=2026-11");
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(code(unsigned)).isEqualTo("AccessDenied");
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    return AdminEndpoint.okJson(response);
  }

  private static String code(HttpResponse<String> response) throws Exception {
    return AdminEndpoint.errorCode(response);
  }
}
