package dev.canopy.cloud.usageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.admin.AdminEndpoint;
import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.usage.InstanceSeries;
import dev.canopy.cloud.metering.usage.MonthUsage;
import dev.canopy.cloud.metering.usage.Step;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/usage/...} through the real console endpoint, signed by tenants and the administrator
 * with the AWS SDK's signer, over a fake metering store: each route, each refusal, tenant isolation.
 */
class UsageApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final String VM_A = "i-0aaaaaaaaaaaaaaa1";
  private static final String VM_B = "i-0bbbbbbbbbbbbbbb2";
  private static final String VM_UNKNOWN = "i-0cccccccccccccccc";
  private static final String MAC = "52:54:00:00:0a:01";
  /** Above 2^53: a double would round it. */
  private static final long HUGE = Long.MAX_VALUE - 1;
  private static final PriceSheet PRICES = new PriceSheet("EUR", Map.of(
      "BoxUsage:t3.micro", new BigDecimal("0.0104"), "DataTransfer-Out-Bytes", new BigDecimal("0.09")));

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static FakeUsage usage = new FakeUsage();
  static String acmeId;
  static Credential acme;
  static Credential other;

  @BeforeAll
  static void start() throws Exception {
    endpoint = AdminEndpoint.withUsage(dir, usage, PRICES, InstantSource.fixed(NOW));
    NewAccount a = endpoint.identity.createAccount("acme");
    NewAccount b = endpoint.identity.createAccount("other");
    acmeId = a.account().id();
    acme = a.credential();
    other = b.credential();
    usage.instance(VM_A, acmeId, List.of(
        new InstanceSeries.Line(MAC, Metric.RX_BYTES, new TreeMap<>(Map.of(1_800_000_000L, HUGE, 1_800_000_060L, 7L))),
        new InstanceSeries.Line(null, Metric.CPU_NANOS, new TreeMap<>(Map.of(1_800_000_000L, 42L)))));
    usage.instance(VM_B, b.account().id(), List.of());
    Instant hour = Instant.parse("2026-12-03T10:00:00Z");
    usage.month(new MonthUsage(acmeId, YearMonth.of(2026, 12), false, List.of(
        new HourlyUsage(acmeId, VM_A, UsageType.INSTANCE_SECONDS, "t3.micro", hour, 3_600, Map.of()),
        new HourlyUsage(acmeId, VM_A, UsageType.INSTANCE_SECONDS, "t3.micro", hour.plusSeconds(3_600), 1_800, Map.of()),
        new HourlyUsage(acmeId, VM_A, UsageType.NETWORK_OUT, null, hour, 1L << 30, Map.of()),
        new HourlyUsage(acmeId, VM_B, UsageType.NETWORK_OUT, null, hour, 1L << 29, Map.of())), List.of()));
    usage.month(new MonthUsage(acmeId, YearMonth.of(2026, 11), true, List.of(), List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void aTenantReadsItsInstancesSeriesWithExact64BitSums() throws Exception {
    JsonNode answer = ok(endpoint.getAs(acme, "/api/usage/instances/" + VM_A + "?from=1799999000&to=1800003600&step=60"));
    assertThat(answer.path("instanceId").asText()).isEqualTo(VM_A);
    assertThat(answer.path("from").asLong()).isEqualTo(1_799_999_000L);
    assertThat(answer.path("to").asLong()).isEqualTo(1_800_003_600L);
    assertThat(answer.path("step").asLong()).isEqualTo(60);
    JsonNode rx = answer.path("series").get(0);
    assertThat(rx.path("nic").asText()).isEqualTo(MAC);
    assertThat(rx.path("metric").asText()).isEqualTo("rxBytes");
    assertThat(rx.path("points").get(0).get(0).asLong()).isEqualTo(1_800_000_000L);
    assertThat(rx.path("points").get(0).get(1).isIntegralNumber()).isTrue();
    assertThat(rx.path("points").get(0).get(1).asLong()).isEqualTo(HUGE);
    assertThat(rx.path("points").get(1).get(1).asLong()).isEqualTo(7);
    JsonNode cpu = answer.path("series").get(1);
    assertThat(cpu.path("nic").isNull()).isTrue();
    assertThat(cpu.path("metric").asText()).isEqualTo("cpuNanos");
  }

  @Test
  void fromAndToAreInstantsOrEpochSecondsAndDefaultToTheLastHourAtAMinute() throws Exception {
    usage.seriesQueries.clear();
    ok(endpoint.getAs(acme, "/api/usage/instances/" + VM_A));
    ok(endpoint.getAs(acme, "/api/usage/instances/" + VM_A + "?from=2026-12-06T00:00:00Z&to=2026-12-06T06:00:00.900Z&step=3600"));
    ok(endpoint.getAs(acme, "/api/usage/instances/" + VM_A + "?to=1800000000&step=10"));
    long now = NOW.getEpochSecond();
    assertThat(usage.seriesQueries).containsExactly(
        new FakeUsage.SeriesQuery(VM_A, now - 3_600, now, Step.MINUTE),
        new FakeUsage.SeriesQuery(VM_A, Instant.parse("2026-12-06T00:00:00Z").getEpochSecond(),
            Instant.parse("2026-12-06T06:00:00Z").getEpochSecond(), Step.HOUR),
        new FakeUsage.SeriesQuery(VM_A, 1_800_000_000L - 3_600, 1_800_000_000L, Step.TEN_SECONDS));
  }

  @Test
  void anotherTenantsInstanceIsAccessDeniedAndAnUnknownOneLooksTheSame() throws Exception {
    for (String instance : List.of(VM_A, VM_UNKNOWN)) {
      HttpResponse<String> refused = endpoint.getAs(other, "/api/usage/instances/" + instance);
      assertThat(refused.statusCode()).as(instance).isEqualTo(403);
      assertThat(code(refused)).isEqualTo("AccessDenied");
      assertThat(refused.body()).doesNotContain("rxBytes");
    }
    assertThat(code(endpoint.getAs(acme, "/api/usage/instances/" + VM_B))).isEqualTo("AccessDenied");
  }

  @Test
  void theAdministratorReadsEveryAccountsInstancesAndLearnsWhichAreUnknown() throws Exception {
    assertThat(ok(endpoint.get("/api/usage/instances/" + VM_A)).path("series")).hasSize(2);
    assertThat(ok(endpoint.get("/api/usage/instances/" + VM_B)).path("instanceId").asText()).isEqualTo(VM_B);
    HttpResponse<String> unknown = endpoint.get("/api/usage/instances/" + VM_UNKNOWN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(code(unknown)).isEqualTo("NoSuchInstance");
  }

  @Test
  void malformedSeriesParametersAreInvalidParameterValue() throws Exception {
    for (String pathAndQuery : List.of("vm-1", "i-123", VM_A + "?from=yesterday", VM_A + "?to=-5", VM_A + "?from=1e9",
        VM_A + "?from=1800000000&to=1800000000", VM_A + "?from=1800000100&to=1800000000", VM_A + "?step=7", VM_A + "?step=",
        VM_A + "?step=minute", VM_A + "?step=99999999999999999999", VM_A + "?from=9999999999999999999",
        VM_A + "?from=0001-01-01T00:00:00Z&to=1970-01-01T00:00:10Z", VM_A + "?to=0")) {
      HttpResponse<String> response = endpoint.getAs(acme, "/api/usage/instances/" + pathAndQuery);
      assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(400);
      assertThat(code(response)).as(pathAndQuery).isEqualTo("InvalidParameterValue");
    }
  }

  @Test
  void moreThanTenThousandPeriodsAreRefusedSayingSo() throws Exception {
    // Exactly 10,000 minutes pass; one more does not.
    ok(endpoint.getAs(acme, "/api/usage/instances/" + VM_A + "?from=1800000000&to=1800600000&step=60"));
    HttpResponse<String> tooMany = endpoint.getAs(acme, "/api/usage/instances/" + VM_A + "?from=1800000000&to=1800600060&step=60");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(code(tooMany)).isEqualTo("InvalidParameterValue");
    assertThat(JSON.readTree(tooMany.body()).path("message").asText()).contains("10001 periods").contains("at most 10000");
  }

  @Test
  void theSummaryOfTheCurrentMonthTotalsPerSkuAndResourceWithTheBillsCost() throws Exception {
    JsonNode summary = ok(endpoint.getAs(acme, "/api/usage/summary"));
    assertThat(summary.path("accountId").asText()).isEqualTo(acmeId);
    assertThat(summary.path("month").asText()).isEqualTo("2026-12");
    assertThat(summary.path("closed").asBoolean(true)).isFalse();
    assertThat(summary.path("currency").asText()).isEqualTo("EUR");
    // 1.5 h of t3.micro at 0.0104 + 1.5 GB out at 0.09
    assertThat(summary.path("cost").asText()).isEqualTo("0.1506000000");
    assertThat(JSON.writeValueAsString(summary.path("usageTypes"))).isEqualTo(
        "[{\"resourceId\":null,\"resourceType\":null,\"skuId\":\"BoxUsage:t3.micro\",\"consumedQuantity\":5400,\"consumedUnit\":\"Seconds\","
            + "\"cost\":\"0.0156000000\"},{\"resourceId\":null,\"resourceType\":null,\"skuId\":\"DataTransfer-Out-Bytes\","
            + "\"consumedQuantity\":1610612736,\"consumedUnit\":\"Bytes\",\"cost\":\"0.1350000000\"}]");
    JsonNode resources = summary.path("resources");
    assertThat(resources).hasSize(3);
    assertThat(resources.get(2).path("resourceId").asText()).isEqualTo(VM_B);
    assertThat(resources.get(2).path("resourceType").asText()).isEqualTo("Instance");
    assertThat(resources.get(2).path("consumedQuantity").asLong()).isEqualTo(1L << 29);
  }

  @Test
  void theSummaryOfANamedMonthSaysWhetherItIsClosed() throws Exception {
    JsonNode november = ok(endpoint.getAs(acme, "/api/usage/summary?month=2026-11"));
    assertThat(november.path("closed").asBoolean()).isTrue();
    assertThat(november.path("cost").asText()).isEqualTo("0.0000000000");
    assertThat(november.path("usageTypes")).isEmpty();
    for (String month : List.of("2026-13", "2026-1", "", "12-2026")) {
      HttpResponse<String> response = endpoint.getAs(acme, "/api/usage/summary?month=" + month);
      assertThat(response.statusCode()).as(month).isEqualTo(400);
      assertThat(code(response)).isEqualTo("InvalidParameterValue");
    }
  }

  @Test
  void aTenantNamesOnlyItsOwnAccountTheAdministratorAny() throws Exception {
    assertThat(ok(endpoint.getAs(acme, "/api/usage/summary?account=acme")).path("accountId").asText()).isEqualTo(acmeId);
    assertThat(ok(endpoint.getAs(acme, "/api/usage/summary?account=" + acmeId)).path("accountId").asText()).isEqualTo(acmeId);
    for (String account : List.of("acme", acmeId, "nobody")) {
      HttpResponse<String> refused = endpoint.getAs(other, "/api/usage/summary?account=" + account);
      assertThat(refused.statusCode()).as(account).isEqualTo(403);
      assertThat(code(refused)).isEqualTo("AccessDenied");
    }
    assertThat(ok(endpoint.get("/api/usage/summary?account=acme")).path("cost").asText()).isEqualTo("0.1506000000");
    assertThat(ok(endpoint.get("/api/usage/summary?account=other")).path("cost").asText()).isEqualTo("0.0000000000");
    assertThat(code(endpoint.get("/api/usage/summary"))).isEqualTo("InvalidParameterValue");
    HttpResponse<String> unknown = endpoint.get("/api/usage/summary?account=nobody");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(code(unknown)).isEqualTo("NoSuchAccount");
  }

  @Test
  void unsignedAndBadlySignedRequestsGetTheAdminApisRefusals() throws Exception {
    for (String path : List.of("/api/usage/summary", "/api/usage/instances/" + VM_A)) {
      HttpResponse<String> unsigned = endpoint.getUnsigned(path);
      assertThat(unsigned.statusCode()).isEqualTo(403);
      assertThat(code(unsigned)).isEqualTo("AccessDenied");
      // Another first character, whatever the real one is (a secret may begin with "x").
      String secret = acme.secretAccessKey();
      String wrong = (secret.charAt(0) == 'x' ? "y" : "x") + secret.substring(1);
      HttpResponse<String> badSecret = endpoint.getAs(new Credential(acme.accessKeyId(), wrong, acmeId), path);
      assertThat(badSecret.statusCode()).isEqualTo(403);
      assertThat(code(badSecret)).isEqualTo("SignatureDoesNotMatch");
      HttpResponse<String> unknownKey = endpoint.getAs(new Credential("AKIAUNKNOWNUNKNOWN00", acme.secretAccessKey(), acmeId), path);
      assertThat(unknownKey.statusCode()).isEqualTo(403);
      assertThat(code(unknownKey)).isEqualTo("InvalidAccessKeyId");
    }
  }

  @Test
  void curlSignsAsDocsBillingMdShows() throws Exception {
    Process curl = new ProcessBuilder("curl", "-sS", "--aws-sigv4", "aws:amz:" + AdminEndpoint.region() + ":canopy",
        "--user", acme.accessKeyId() + ":" + acme.secretAccessKey(), endpoint.base() + "/api/usage/summary?month=2026-12")
        .redirectErrorStream(true).start();
    String answer = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(curl.waitFor()).as(answer).isZero();
    assertThat(JSON.readTree(answer).path("cost").asText()).as(answer).isEqualTo("0.1506000000");
  }

  @Test
  void aPathTheApiDoesNotHaveIsNotFound() throws Exception {
    HttpResponse<String> response = endpoint.getAs(acme, "/api/usage/buckets/photos");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(code(response)).isEqualTo("NotFound");
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    return AdminEndpoint.okJson(response);
  }

  private static String code(HttpResponse<String> response) throws Exception {
    return AdminEndpoint.errorCode(response);
  }
}
