package dev.canopy.cloud.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FocusFormatsTest {

  private static final FocusReport REPORT = FocusReport.build("acct-1", YearMonth.of(2026, 11), List.of(
      new HourlyUsage("acct-1", "i-1", UsageType.NETWORK_OUT, null, Instant.parse("2026-11-30T23:00:00Z"), 1L << 40,
          Map.of("project", "a, \"quoted\" name", "env", "prod")),
      new HourlyUsage("acct-1", "i-1", UsageType.INSTANCE_SECONDS, "m1.small", Instant.parse("2026-11-01T00:00:00Z"), 7,
          Map.of())),
      new PriceSheet("USD", Map.of("DataTransfer-Out-Bytes", new BigDecimal("0.09"), "BoxUsage:m1.small", new BigDecimal("0.0115"))));

  @Test
  void csvHasTheFocusHeaderAndReadsBackCellForCell() throws Exception {
    StringWriter csv = new StringWriter();
    FocusFormats.writeCsv(REPORT, csv);

    String header = csv.toString().lines().findFirst().orElseThrow();
    assertThat(header).startsWith("x_LineId,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,");
    assertThat(header.split(",")).contains("ConsumedQuantity", "ConsumedUnit", "ListUnitPrice", "BilledCost",
        "BillingCurrency", "ResourceId", "ResourceType", "ServiceName", "SkuId", "Tags");
    try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toString())) {
      List<Map<String, String>> read = rows.readAll();
      assertThat(read).hasSize(2);
      Map<String, String> first = read.get(0);
      assertThat(first).containsEntry("SkuId", "BoxUsage:m1.small").containsEntry("ConsumedQuantity", "7")
          .containsEntry("BilledCost", "0.0000223611").containsEntry("Tags", "{}");
      Map<String, String> second = read.get(1);
      assertThat(second).containsEntry("ConsumedQuantity", "1099511627776").containsEntry("PricingQuantity", "1024.000000000000")
          .containsEntry("BilledCost", "92.1600000000").containsEntry("ChargePeriodEnd", "2026-12-01T00:00:00Z");
      assertThat(new ObjectMapper().readTree(second.get("Tags")))
          .isEqualTo(new ObjectMapper().readTree("{\"env\":\"prod\",\"project\":\"a, \\\"quoted\\\" name\"}"));
    }
  }

  @Test
  void jsonHoldsTheTotalAndTheRowsWithTagsAsObjects() throws Exception {
    StringWriter json = new StringWriter();
    FocusFormats.writeJson(REPORT, json);

    JsonNode root = new ObjectMapper().readTree(json.toString());
    assertThat(root.get("BillingPeriod").asText()).isEqualTo("2026-11");
    assertThat(root.get("BilledCost").asText()).isEqualTo("92.1600223611");
    assertThat(root.get("rows")).hasSize(2);
    assertThat(root.get("rows").get(1).get("Tags").get("env").asText()).isEqualTo("prod");
    assertThat(root.get("rows").get(1).get("ListUnitPrice").asText()).isEqualTo("0.09");
  }
}
