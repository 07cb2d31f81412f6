package dev.canopy.cloud.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FocusReportTest {

  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final Instant HOUR = Instant.parse("2026-11-03T14:00:00Z");
  private static final PriceSheet PRICES = new PriceSheet("USD", Map.of(
      "BoxUsage:m1.small", new BigDecimal("0.0115"),
      "DataTransfer-Out-Bytes", new BigDecimal("0.09"),
      "S3-TimedStorage-ByteHrs", new BigDecimal("0.023"),
      "S3-Requests-Tier1", new BigDecimal("0.005")));

  private static HourlyUsage usage(String resource, UsageType type, Instant hour, long quantity) {
    return new HourlyUsage("acct-1", resource, type, type == UsageType.INSTANCE_SECONDS ? "m1.small" : null, hour,
        quantity, Map.of("team", "blue"));
  }

  @Test
  void anInstanceHourIsOneLineInFocusTerms() {
    FocusRow row = FocusReport.build("acct-1", NOVEMBER,
        List.of(usage("i-1", UsageType.INSTANCE_SECONDS, HOUR, 3600)), PRICES).rows().get(0);

    assertThat(row.billingAccountId()).isEqualTo("acct-1");
    assertThat(row.billingPeriodStart()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(row.billingPeriodEnd()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(row.chargePeriodStart()).isEqualTo("2026-11-03T14:00:00Z");
    assertThat(row.chargePeriodEnd()).isEqualTo("2026-11-03T15:00:00Z");
    assertThat(row.serviceName()).isEqualTo("Canopy EC2");
    assertThat(row.resourceType()).isEqualTo("Instance");
    assertThat(row.skuId()).isEqualTo("BoxUsage:m1.small");
    assertThat(row.consumedQuantity()).isEqualTo(3600);
    assertThat(row.consumedUnit()).isEqualTo("Seconds");
    assertThat(row.pricingQuantity()).isEqualTo("1.000000000000");
    assertThat(row.pricingUnit()).isEqualTo("Hours");
    assertThat(row.billedCost()).isEqualTo("0.0115000000");
    assertThat(row.effectiveCost()).isEqualTo(row.billedCost());
    assertThat(row.billingCurrency()).isEqualTo("USD");
    assertThat(row.tags()).isEqualTo(Map.of("team", "blue"));
  }

  @Test
  void bytesArePricedPerGbOf2To30AndStoragePerGbMonthOfTheBilledMonth() {
    long gib = 1L << 30;
    List<FocusRow> rows = FocusReport.build("acct-1", NOVEMBER, List.of(
        usage("i-1", UsageType.NETWORK_OUT, HOUR, gib + gib / 2),
        usage("photos", UsageType.STORAGE_BYTE_HOURS, HOUR, gib * 30 * 24),
        usage("photos", UsageType.REQUESTS_TIER1, HOUR, 250)), PRICES).rows();

    assertThat(rows).extracting(FocusRow::skuId)
        .containsExactly("DataTransfer-Out-Bytes", "S3-Requests-Tier1", "S3-TimedStorage-ByteHrs");
    assertThat(rows.get(0).pricingQuantity()).isEqualTo("1.500000000000");
    assertThat(rows.get(0).billedCost()).isEqualTo("0.1350000000");
    assertThat(rows.get(1).billedCost()).isEqualTo("0.0012500000");
    // November has 30 days: a GiB kept all month is one GB-month.
    assertThat(rows.get(2).pricingQuantity()).isEqualTo("1.000000000000");
    assertThat(rows.get(2).billedCost()).isEqualTo("0.0230000000");
    assertThat(rows.get(2).serviceName()).isEqualTo("Canopy S3");
  }

  @Test
  void lateUsageOfTheSameHourAddsUpIntoOneLineWithAStableId() {
    List<HourlyUsage> usage = List.of(
        usage("i-1", UsageType.NETWORK_OUT, HOUR, 100),
        usage("i-2", UsageType.NETWORK_OUT, HOUR, 5),
        usage("i-1", UsageType.NETWORK_OUT, HOUR.minusSeconds(3600), 7),
        usage("i-1", UsageType.NETWORK_OUT, HOUR, 23));

    FocusReport report = FocusReport.build("acct-1", NOVEMBER, usage, PRICES);
    FocusReport again = FocusReport.build("acct-1", NOVEMBER, List.of(usage.get(3), usage.get(2), usage.get(1), usage.get(0)), PRICES);

    assertThat(report.rows()).extracting(FocusRow::resourceId, FocusRow::consumedQuantity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("i-1", 7L), org.assertj.core.groups.Tuple.tuple("i-1", 123L),
            org.assertj.core.groups.Tuple.tuple("i-2", 5L));
    assertThat(again.rows()).isEqualTo(report.rows());
    assertThat(report.rows()).extracting(FocusRow::lineId).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{32}"));
  }

  @Test
  void anUnpricedSkuIsReportedAtZero() {
    FocusRow row = FocusReport.build("acct-1", NOVEMBER,
        List.of(usage("i-1", UsageType.NETWORK_IN, HOUR, 1 << 20)), PRICES).rows().get(0);

    assertThat(row.consumedQuantity()).isEqualTo(1 << 20);
    assertThat(row.listUnitPrice()).isZero();
    assertThat(row.billedCost().toPlainString()).isEqualTo("0.0000000000");
  }

  @Test
  void usageOfAnotherAccountOrMonthIsRefused() {
    assertThatThrownBy(() -> FocusReport.build("acct-2", NOVEMBER, List.of(usage("i-1", UsageType.NETWORK_IN, HOUR, 1)), PRICES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acct-1");
    assertThatThrownBy(() -> FocusReport.build("acct-1", NOVEMBER,
        List.of(usage("i-1", UsageType.NETWORK_IN, Instant.parse("2026-12-01T00:00:00Z"), 1)), PRICES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-11");
    assertThatThrownBy(() -> usage("i-1", UsageType.NETWORK_IN, HOUR.plusSeconds(60), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PriceSheet("dollars", Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCorrectionOfAClosedMonthIsItsOwnRowBilledNowAndChargedForItsHour() {
    Instant octoberHour = Instant.parse("2026-10-31T23:00:00Z");
    FocusReport report = FocusReport.build("acct-1", NOVEMBER,
        List.of(usage("i-1", UsageType.INSTANCE_SECONDS, HOUR, 3600)),
        List.of(usage("i-1", UsageType.INSTANCE_SECONDS, octoberHour, 1800)), PRICES);

    assertThat(report.rows()).extracting(FocusRow::chargeClass).containsExactly(null, "Correction");
    FocusRow correction = report.rows().get(1);
    assertThat(correction.chargePeriodStart()).isEqualTo("2026-10-31T23:00:00Z");
    assertThat(correction.billingPeriodStart()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(correction.billedCost()).isEqualTo("0.0057500000");
    assertThat(report.totalBilledCost()).isEqualTo("0.0172500000");
    // The same usage as a regular row of October would have another id.
    assertThat(correction.lineId()).isNotEqualTo(FocusReport.build("acct-1", YearMonth.of(2026, 10),
        List.of(usage("i-1", UsageType.INSTANCE_SECONDS, octoberHour, 1800)), PRICES).rows().get(0).lineId());
    assertThatThrownBy(() -> FocusReport.build("acct-1", NOVEMBER, List.of(),
        List.of(usage("i-1", UsageType.INSTANCE_SECONDS, HOUR, 1)), PRICES))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
