package dev.canopy.cloud.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bill reconciles with what was metered, on random usage: per resource and SKU the rows' consumed
 * quantities add up to the metered counts exactly, the total is the sum of the rows, and it is
 * within half a unit of the last place per row of the exact (unrounded) price of the usage.
 */
class FocusReconciliationTest {

  private static final YearMonth FEBRUARY = YearMonth.of(2028, 2); // a leap year's 29 days

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20261206})
  void rowsAddUpToTheMeteredCountsAndTheTotalToTheExactPrice(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, BigDecimal> prices = new HashMap<>();
    for (UsageType type : UsageType.values()) {
      String sku = type.skuId(type == UsageType.INSTANCE_SECONDS ? "m1.large" : null);
      prices.put(sku, BigDecimal.valueOf(random.nextLong(1, 1_000_000), 6)); // 0.000001 to 0.999999
    }
    PriceSheet sheet = new PriceSheet("EUR", prices);
    Instant start = FEBRUARY.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    int hours = FEBRUARY.lengthOfMonth() * 24;
    List<HourlyUsage> usage = new ArrayList<>();
    Map<String, Long> metered = new HashMap<>();
    BigDecimal exactTotal = BigDecimal.ZERO;
    for (int i = 0; i < 5_000; i++) {
      UsageType type = UsageType.values()[random.nextInt(UsageType.values().length)];
      String resource = (type.resourceType().equals("Bucket") ? "bucket-" : "i-") + random.nextInt(20);
      long quantity = random.nextInt(10) == 0 ? 0 : random.nextLong(1, 1L << 42);
      HourlyUsage u = new HourlyUsage("acct", resource, type, type == UsageType.INSTANCE_SECONDS ? "m1.large" : null,
          start.plusSeconds(3600L * random.nextInt(hours)), quantity, Map.of());
      usage.add(u);
      metered.merge(resource + " " + u.skuId(), quantity, Long::sum);
      exactTotal = exactTotal.add(BigDecimal.valueOf(quantity).multiply(sheet.price(u.skuId()))
          .divide(type.consumedPerPricingUnit(FEBRUARY), MathContext.DECIMAL128));
    }

    FocusReport report = FocusReport.build("acct", FEBRUARY, usage, sheet);

    Map<String, Long> billed = report.rows().stream().collect(
        Collectors.groupingBy(r -> r.resourceId() + " " + r.skuId(), Collectors.summingLong(FocusRow::consumedQuantity)));
    assertThat(billed).isEqualTo(metered);
    BigDecimal rowsTotal = report.rows().stream().map(FocusRow::billedCost).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(report.totalBilledCost()).isEqualTo(rowsTotal.setScale(FocusReport.COST_SCALE));
    BigDecimal roundingBound = BigDecimal.ONE.movePointLeft(FocusReport.COST_SCALE).multiply(BigDecimal.valueOf(report.rows().size()));
    assertThat(report.totalBilledCost().subtract(exactTotal).abs()).isLessThanOrEqualTo(roundingBound);
  }
}
