package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code canopy billing report} and the usage API against the cloud in a box, for what needs no
 * metered data: a month without usage, refusals, and a tenant's own summary signed by curl.
 */
class BillingCliIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();

  @Test
  void aMonthWithoutUsageIsTheFocusHeaderAloneOrNoRows() throws Exception {
    Path scratch = cloud.process().workingDirectory();
    String data = cloud.process().data().toString();
    CanopyCli.Result csv = CanopyCli.run(scratch, "billing", "report", "--account", "default", "--month", "2026-01", "--format", "csv",
        "--data", data);
    assertThat(csv.exit()).as(csv.stderr()).isZero();
    assertThat(csv.stdout().lines().toList()).hasSize(1).first().asString()
        .startsWith("x_LineId,BillingAccountId,").contains(",ChargeClass,").endsWith(",BillingCurrency,Tags");

    Path file = scratch.resolve("default-2026-01.json");
    CanopyCli.Result json = CanopyCli.run(scratch, "billing", "report", "--account", "default", "--month", "2026-01",
        "--output", file.toString(), "--data", data);
    assertThat(json.exit()).as(json.stderr()).isZero();
    JsonNode report = JSON.readTree(Files.readString(file));
    assertThat(report.path("rows")).isEmpty();
    assertThat(report.path("BilledCost").asText()).isEqualTo("0.0000000000");
  }

  @Test
  void anUnknownAccountOrAMalformedMonthExitsOneWithTheApisAnswer() throws Exception {
    Path scratch = cloud.process().workingDirectory();
    String data = cloud.process().data().toString();
    CanopyCli.Result unknown = CanopyCli.run(scratch, "billing", "report", "--account", "nobody", "--month", "2026-01", "--data", data);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("NoSuchAccount").contains("HTTP 404");
    CanopyCli.Result badMonth = CanopyCli.run(scratch, "billing", "report", "--account", "default", "--month", "2026-13", "--data", data);
    assertThat(badMonth.exit()).isEqualTo(1);
    assertThat(badMonth.stderr()).contains("InvalidParameterValue");
    CanopyCli.Result badTotals = CanopyCli.run(scratch, "billing", "totals", "--month", "2026-13", "--data", data);
    assertThat(badTotals.exit()).isEqualTo(1);
    assertThat(badTotals.stderr()).contains("InvalidParameterValue");
    CanopyCli.Result noTotals = CanopyCli.run(scratch, "billing", "totals", "--month", "2026-01", "--format", "csv", "--data", data);
    assertThat(noTotals.exit()).as(noTotals.stderr()).isZero();
    assertThat(noTotals.stdout().lines().toList()).containsExactly("BillingPeriodStart,BillingPeriodEnd,BillingAccountId,"
        + "BillingAccountName,ResourceId,ResourceType,ServiceName,SkuId,ChargeClass,ConsumedQuantity,ConsumedUnit,BilledCost,BillingCurrency");
    CanopyCli.Result help = CanopyCli.run(scratch, "billing", "report", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.stdout()).contains("Usage:").contains("--account").contains("--output");
  }

  @Test
  void aTenantReadsItsOwnMonthWithCurlAndNothingUnsigned() throws Exception {
    CanopyProcess canopy = cloud.process();
    Credential tenant = TenantClients.firstTenant(canopy);
    String summary = canopy.endpoint("console") + "/api/usage/summary?month=2026-01";
    Curl.Answer own = Curl.run("--aws-sigv4", "aws:amz:" + canopy.region() + ":canopy",
        "--user", tenant.accessKeyId() + ":" + tenant.secretAccessKey(), summary);
    assertThat(own.status()).as(own.body()).isEqualTo(200);
    JsonNode month = JSON.readTree(own.body());
    assertThat(month.path("accountId").asText()).matches("[0-9]{12}");
    assertThat(month.path("currency").asText()).isEqualTo("USD");
    assertThat(month.path("cost").asText()).isEqualTo("0.0000000000");
    Curl.Answer unsigned = Curl.run(summary);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(JSON.readTree(unsigned.body()).path("code").asText()).isEqualTo("AccessDenied");
  }
}
