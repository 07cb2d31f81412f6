package dev.canopy.cloud.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /admin/v1/billing/totals}, the month-end run of every account, through the real console
 * endpoint over a fake metering store: each account's total is what its own FOCUS report bills.
 */
class BillingTotalsTest {

  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final PriceSheet PRICES = new PriceSheet("EUR", Map.of(
      "BoxUsage:t3.micro", new BigDecimal("0.0104"), "DataTransfer-Out-Bytes", new BigDecimal("0.09")));

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static String acmeId;
  static String bigcoId;
  static Credential acmeKey;

  @BeforeAll
  static void start() throws Exception {
    FakeUsage usage = new FakeUsage();
    endpoint = AdminEndpoint.withUsage(dir, usage, PRICES, InstantSource.fixed(Instant.parse("2026-12-06T12:00:00Z")));
    NewAccount acme = endpoint.identity.createAccount("acme");
    acmeId = acme.account().id();
    acmeKey = acme.credential();
    bigcoId = endpoint.identity.createAccount("bigco").account().id();
    Instant hour = Instant.parse("2026-11-03T10:00:00Z");
    usage.month(new MonthUsage(acmeId, NOVEMBER, true, List.of(
        new HourlyUsage(acmeId, "i-a", UsageType.INSTANCE_SECONDS, "t3.micro", hour, 3_600, Map.of()),
        new HourlyUsage(acmeId, "i-a", UsageType.INSTANCE_SECONDS, "t3.micro", hour.plusSeconds(3_600), 1_800, Map.of()),
        new HourlyUsage(acmeId, "i-a", UsageType.NETWORK_OUT, null, hour, 1L << 30, Map.of())),
        List.of(new MonthUsage.Correction(
            new HourlyUsage(acmeId, "i-a", UsageType.NETWORK_OUT, null, Instant.parse("2026-10-31T23:00:00Z"), 1L << 29, Map.of()),
            Instant.parse("2026-11-02T00:00:00Z")))));
    usage.month(new MonthUsage(bigcoId, NOVEMBER, true, List.of(
        new HourlyUsage(bigcoId, "i-b", UsageType.INSTANCE_SECONDS, "t3.micro", hour, 7_200, Map.of())), List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void everyBilledAccountIsTotalledAsItsOwnReportBillsIt() throws Exception {
    JsonNode totals = AdminEndpoint.okJson(endpoint.get("/admin/v1/billing/totals?month=2026-11"));
    assertThat(totals.path("BillingCurrency").asText()).isEqualTo("EUR");
    assertThat(totals.path("accounts")).hasSize(2);
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode account : totals.path("accounts")) {
      String name = account.path("BillingAccountName").asText();
      JsonNode report = AdminEndpoint.okJson(endpoint.get("/admin/v1/billing/report?account=" + name + "&month=2026-11"));
      assertThat(account.path("BilledCost").asText()).as(name).isEqualTo(report.path("BilledCost").asText());
      sum = sum.add(new BigDecimal(account.path("BilledCost").asText()));
    }
    assertThat(new BigDecimal(totals.path("BilledCost").asText())).isEqualTo(sum);
    JsonNode acme = totals.path("accounts").get(acmeId.compareTo(bigcoId) < 0 ? 0 : 1);
    assertThat(acme.path("BillingAccountId").asText()).isEqualTo(acmeId);
    // 1.5 instance-hours are one total; the October correction is a total of its own.
    assertThat(acme.path("totals").findValuesAsText("SkuId")).containsExactly("BoxUsage:t3.micro", "DataTransfer-Out-Bytes", "DataTransfer-Out-Bytes");
    assertThat(acme.path("totals").get(0).path("ConsumedQuantity").asLong()).isEqualTo(5_400);
    assertThat(acme.path("totals").get(2).path("Correction").asBoolean()).isTrue();
  }

  @Test
  void csvIsOneRowPerAccountResourceAndSku() throws Exception {
    HttpResponse<String> response = endpoint.get("/admin/v1/billing/totals?month=2026-11&format=csv");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
    List<String> lines = response.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("BillingPeriodStart,BillingPeriodEnd,BillingAccountId,BillingAccountName,ResourceId,ResourceType,"
        + "ServiceName,SkuId,ChargeClass,ConsumedQuantity,ConsumedUnit,BilledCost,BillingCurrency");
    assertThat(lines).hasSize(1 + 3 + 1);
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("2026-11-01T00:00:00Z,2026-12-01T00:00:00Z," + bigcoId + ",bigco,i-b,")
        .contains(",BoxUsage:t3.micro,,7200,Seconds,").endsWith(",EUR"));
    assertThat(lines).anySatisfy(line -> assertThat(line).contains(",acme,i-a,").contains(",Correction,536870912,Bytes,"));
  }

  @Test
  void aMonthNobodyWasBilledInHasNoAccounts() throws Exception {
    JsonNode totals = AdminEndpoint.okJson(endpoint.get("/admin/v1/billing/totals?month=2026-09"));
    assertThat(totals.path("accounts")).isEmpty();
    assertThat(totals.path("BilledCost").asText()).isEqualTo("0.0000000000");
  }

  @Test
  void aMalformedMonthOrFormatIsInvalidParameterValueAndATenantIsRefused() throws Exception {
    for (String query : List.of("", "month=2026-13", "month=2026-11&format=xml")) {
      HttpResponse<String> response = endpoint.get("/admin/v1/billing/totals?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(AdminEndpoint.errorCode(response)).isEqualTo("InvalidParameterValue");
    }
    HttpResponse<String> asTenant = endpoint.getAs(acmeKey, "/admin/v1/billing/totals?month=2026-11");
    assertThat(asTenant.statusCode()).isEqualTo(403);
    assertThat(AdminEndpoint.errorCode(asTenant)).isEqualTo("AccessDenied");
  }
}
