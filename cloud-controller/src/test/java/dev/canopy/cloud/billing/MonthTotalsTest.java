package dev.canopy.cloud.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The month-end totals cost exactly what the FOCUS report's rows of the same usage cost. */
class MonthTotalsTest {

  private static final String ACME = "111122223333";
  private static final YearMonth FEBRUARY = YearMonth.of(2026, 2);

  private static List<HourlyUsage> usage(YearMonth month, int hours, long seed, long quantityMax) {
    SplittableRandom random = new SplittableRandom(seed);
    Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    List<HourlyUsage> usage = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      Instant hour = start.plusSeconds(3_600L * h);
      for (String instance : List.of("i-1", "i-2")) {
        usage.add(new HourlyUsage(ACME, instance, UsageType.INSTANCE_SECONDS, instance.equals("i-1") ? "m1.small" : "c1.huge",
            hour, random.nextLong(3_601), Map.of()));
        usage.add(new HourlyUsage(ACME, instance, UsageType.NETWORK_IN, null, hour, random.nextLong(quantityMax), Map.of()));
        usage.add(new HourlyUsage(ACME, instance, UsageType.NETWORK_OUT, null, hour, random.nextLong(quantityMax), Map.of()));
      }
      usage.add(new HourlyUsage(ACME, "photos", UsageType.STORAGE_BYTE_HOURS, null, hour, random.nextLong(quantityMax), Map.of()));
      usage.add(new HourlyUsage(ACME, "photos", UsageType.REQUESTS_TIER1, null, hour, random.nextLong(100_000), Map.of()));
    }
    return usage;
  }

  private static PriceSheet prices() {
    return new PriceSheet("USD", Map.of(
        "BoxUsage:m1.small", new BigDecimal("0.0230"),
        // More places than a cost keeps: priced through BigDecimal.
        "BoxUsage:c1.huge", new BigDecimal("1.123456789012345"),
        "DataTransfer-In-Bytes", BigDecimal.ZERO,
        "DataTransfer-Out-Bytes", new BigDecimal("0.09"),
        "S3-TimedStorage-ByteHrs", new BigDecimal("0.023"),
        "S3-Requests-Tier1", new BigDecimal("0.005")));
  }

  /** The report's rows summed per resource, SKU and charge class: what the totals must be. */
  private static Map<String, BigDecimal> reportCosts(FocusReport report) {
    Map<String, BigDecimal> costs = new TreeMap<>();
    for (FocusRow row : report.rows()) {
      costs.merge(row.resourceId() + " " + row.skuId() + " " + row.chargeClass(), row.billedCost(), BigDecimal::add);
    }
    return costs;
  }

  private static Map<String, BigDecimal> totalCosts(MonthTotals totals) {
    Map<String, BigDecimal> costs = new TreeMap<>();
    for (MonthTotals.Total t : totals.totals()) {
      costs.merge(t.resourceId() + " " + t.skuId() + " " + (t.correction() ? "Correction" : null), t.billedCost(), BigDecimal::add);
    }
    return costs;
  }

  @Test
  void everyTotalCostsWhatTheReportsRowsOfItsResourceAndSkuCostToTheLastDigit() {
    // Small quantities, and quantities so large that quantity × price no longer fits a long.
    for (long quantityMax : new long[] {1_000, 450_000_000_000L, Long.MAX_VALUE / 1_000}) {
      List<HourlyUsage> usage = usage(FEBRUARY, 28 * 24, quantityMax, quantityMax);
      List<HourlyUsage> corrections = List.of(
          new HourlyUsage(ACME, "i-1", UsageType.NETWORK_OUT, null, Instant.parse("2026-01-31T23:00:00Z"), 7_777_777, Map.of()),
          new HourlyUsage(ACME, "i-1", UsageType.NETWORK_OUT, null, Instant.parse("2026-01-31T23:00:00Z"), 3, Map.of()),
          new HourlyUsage(ACME, "photos", UsageType.STORAGE_BYTE_HOURS, null, Instant.parse("2025-12-05T00:00:00Z"), 123_456_789_012L,
              Map.of()));

      FocusReport report = FocusReport.build(ACME, FEBRUARY, usage, corrections, prices());
      MonthTotals totals = MonthTotals.price(ACME, FEBRUARY, usage, corrections, prices());

      assertThat(totalCosts(totals)).as("quantities up to " + quantityMax).isEqualTo(reportCosts(report));
      assertThat(totals.billedCost()).isEqualTo(report.totalBilledCost());
      long consumed = report.rows().stream().mapToLong(FocusRow::consumedQuantity).sum();
      assertThat(totals.totals().stream().mapToLong(MonthTotals.Total::consumedQuantity).sum()).isEqualTo(consumed);
    }
  }

  @Test
  void usageOfAnotherAccountOrMonthIsRefusedAsByTheReport() {
    HourlyUsage march = new HourlyUsage(ACME, "i-1", UsageType.NETWORK_IN, null, Instant.parse("2026-03-01T00:00:00Z"), 1, Map.of());
    HourlyUsage other = new HourlyUsage("444455556666", "i-1", UsageType.NETWORK_IN, null, Instant.parse("2026-02-01T00:00:00Z"), 1,
        Map.of());
    assertThatThrownBy(() -> MonthTotals.price(ACME, FEBRUARY, List.of(march), List.of(), prices()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonthTotals.price(ACME, FEBRUARY, List.of(other), List.of(), prices()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonthTotals.price(ACME, FEBRUARY, List.of(), List.of(march), prices()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MonthTotals.price(ACME, FEBRUARY, List.of(), List.of(), prices()).billedCost()).isEqualByComparingTo(BigDecimal.ZERO);
  }
}
