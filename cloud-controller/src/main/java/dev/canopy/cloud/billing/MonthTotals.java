package dev.canopy.cloud.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One account's month priced into totals per resource and SKU (corrections apart), for the
 * month-end billing run: the same money as the {@link FocusReport} of the same usage, without its
 * hourly rows. Each total's cost is the sum of what the report's rows of that resource and SKU cost,
 * each rounded as the report rounds it ({@link FocusReport#COST_SCALE} places, half-even), so
 * {@link #billedCost()} equals {@link FocusReport#totalBilledCost()} to the last digit.
 *
 * <p>A usage entry is priced as one hourly line: a ledger holds one row per resource, usage type
 * and hour, which is what the report's line adds up. Corrections (rare) are gathered per line first,
 * as the report does. The arithmetic is exact in {@code long} where it fits and falls back to
 * {@link BigDecimal}, so no row pays for an object it does not need.
 */
public record MonthTotals(String accountId, YearMonth month, List<Total> totals) {

  public MonthTotals {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(month, "month");
    totals = List.copyOf(totals);
  }

  /** One resource and SKU's month, or its corrections of earlier months ({@code correction}). */
  public record Total(String resourceId, String skuId, UsageType type, boolean correction, long consumedQuantity,
      BigDecimal billedCost) {}

  /** The sum of the totals' costs: what the month's bill charges. */
  public BigDecimal billedCost() {
    return totals.stream().map(Total::billedCost).reduce(BigDecimal.ZERO.setScale(FocusReport.COST_SCALE), BigDecimal::add);
  }

  /**
   * @param usage the account's hourly usage of the month, as {@link FocusReport#build} takes it
   * @param corrections usage of earlier, closed months noticed in this month
   * @throws IllegalArgumentException for usage of another account or outside the month, as the report
   */
  public static MonthTotals price(String accountId, YearMonth month, List<HourlyUsage> usage, List<HourlyUsage> corrections,
      PriceSheet prices) {
    long periodStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long periodEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Map<Rate.Key, Rate> rates = new HashMap<>();
    Map<TotalKey, Sum> sums = new LinkedHashMap<>();
    RecentSums recent = new RecentSums();
    for (HourlyUsage u : usage) {
      long hour = u.hourStart().getEpochSecond();
      if (hour < periodStart || hour >= periodEnd) {
        throw new IllegalArgumentException("usage of " + u.hourStart() + " in the bill of " + month);
      }
      checkAccount(accountId, u);
      Sum sum = recent.find(u);
      if (sum == null) {
        sum = sums.computeIfAbsent(new TotalKey(u.resourceId(), u.type(), u.instanceType(), false),
            k -> new Sum(rates.computeIfAbsent(new Rate.Key(u.type(), u.instanceType(), month), r -> Rate.of(r, prices))));
        recent.remember(u, sum);
      }
      sum.add(u.quantity());
    }
    // As the report: entries of one corrected hour, resource and SKU are one line, priced once.
    Map<LineKey, Long> correctionLines = new LinkedHashMap<>();
    for (HourlyUsage u : corrections) {
      if (u.hourStart().getEpochSecond() >= periodStart) {
        throw new IllegalArgumentException("a correction of " + u.hourStart() + " in the bill of " + month);
      }
      checkAccount(accountId, u);
      correctionLines.merge(new LineKey(u.resourceId(), u.type(), u.instanceType(), u.hourStart()), u.quantity(), Math::addExact);
    }
    correctionLines.forEach((line, quantity) -> {
      YearMonth of = YearMonth.from(line.hourStart().atZone(ZoneOffset.UTC));
      Rate rate = rates.computeIfAbsent(new Rate.Key(line.type(), line.instanceType(), of), k -> Rate.of(k, prices));
      // Rates differ by the corrected month (a GB-month's length): one sum per rate.
      sums.computeIfAbsent(new TotalKey(line.resourceId(), line.type(), line.instanceType(), true), k -> new Sum(null))
          .addPriced(quantity, rate);
    });
    List<Total> totals = new ArrayList<>(sums.size());
    sums.forEach((key, sum) -> totals.add(new Total(key.resourceId(), key.type().skuId(key.instanceType()), key.type(),
        key.correction(), sum.consumed, sum.cost())));
    totals.sort(Comparator.comparing(Total::correction).thenComparing(Total::resourceId).thenComparing(Total::skuId));
    return new MonthTotals(accountId, month, totals);
  }

  private static void checkAccount(String accountId, HourlyUsage u) {
    if (!u.accountId().equals(accountId)) {
      throw new IllegalArgumentException("usage of account " + u.accountId() + " in the bill of " + accountId);
    }
  }

  private record TotalKey(String resourceId, UsageType type, String instanceType, boolean correction) {}

  /**
   * The sums of the last few resources and SKUs seen, found by the identity of their strings: a
   * ledger's rows, read from the store, share one string per resource, and run through the same few
   * resources hour after hour, so most rows find their sum here without a key made and hashed (the
   * two map lookups per row were a third of pricing a month). A miss only means a map lookup.
   */
  private static final class RecentSums {
    private static final int SIZE = 16;
    private final String[] resourceIds = new String[SIZE];
    private final UsageType[] types = new UsageType[SIZE];
    private final String[] instanceTypes = new String[SIZE];
    private final Sum[] sums = new Sum[SIZE];
    private int next;

    Sum find(HourlyUsage u) {
      for (int i = 0; i < SIZE; i++) {
        if (sums[i] != null && resourceIds[i] == u.resourceId() && types[i] == u.type() && instanceTypes[i] == u.instanceType()) {
          return sums[i];
        }
      }
      return null;
    }

    void remember(HourlyUsage u, Sum sum) {
      resourceIds[next] = u.resourceId();
      types[next] = u.type();
      instanceTypes[next] = u.instanceType();
      sums[next] = sum;
      next = (next + 1) % SIZE;
    }
  }

  private record LineKey(String resourceId, UsageType type, String instanceType, Instant hourStart) {}

  /**
   * A SKU's price per consumed unit in one month, as the report computes a row's cost:
   * {@code consumed × price / perPricingUnit}, rounded half-even to the cost scale.
   */
  private static final class Rate {
    record Key(UsageType type, String instanceType, YearMonth month) {}

    private final BigDecimal price;
    private final BigDecimal perPricingUnit;
    /** The price in units of the cost scale over the units per pricing unit, in lowest terms, when both are exact longs; else -1. */
    private final long priceUnits;
    private final long divisor;

    private Rate(BigDecimal price, BigDecimal perPricingUnit) {
      this.price = price;
      this.perPricingUnit = perPricingUnit;
      long units = -1;
      long by = -1;
      try {
        if (price.scale() <= FocusReport.COST_SCALE) {
          units = price.setScale(FocusReport.COST_SCALE).unscaledValue().longValueExact();
        }
        by = perPricingUnit.stripTrailingZeros().scale() <= 0 ? perPricingUnit.longValueExact() : -1;
      } catch (ArithmeticException e) {
        units = -1;
      }
      if (units > 0 && by > 0) {
        // The fraction in lowest terms, so that consumed × price fits a long for every real quantity
        // (0.09 per GB: 900,000,000 / 2^30 becomes 3,515,625 / 4,194,304).
        long gcd = java.math.BigInteger.valueOf(units).gcd(java.math.BigInteger.valueOf(by)).longValueExact();
        units /= gcd;
        by /= gcd;
      }
      this.priceUnits = units;
      this.divisor = by;
    }

    static Rate of(Key key, PriceSheet prices) {
      return new Rate(prices.price(key.type().skuId(key.instanceType())), key.type().consumedPerPricingUnit(key.month()));
    }

    /** One row's cost in units of 10^-{@value FocusReport#COST_SCALE}; empty (-1) when it does not fit a long. */
    long costUnits(long consumed) {
      if (priceUnits >= 0 && divisor > 0) {
        long product = consumed * priceUnits;
        // Both are not negative: the product fits when its high 64 bits are 0 and it stays positive.
        if (Math.multiplyHigh(consumed, priceUnits) != 0 || product < 0) {
          return costBig(consumed);
        }
        long quotient = product / divisor;
        long remainder = product % divisor;
        // Half-even, as BigDecimal rounds: above half up, exactly half to the even neighbour.
        if (remainder > divisor - remainder || (remainder == divisor - remainder && (quotient & 1) == 1)) {
          quotient++;
        }
        return quotient;
      }
      return costBig(consumed);
    }

    private long costBig(long consumed) {
      try {
        return cost(consumed).unscaledValue().longValueExact();
      } catch (ArithmeticException e) {
        return -1;
      }
    }

    BigDecimal cost(long consumed) {
      return BigDecimal.valueOf(consumed).multiply(price).divide(perPricingUnit, FocusReport.COST_SCALE, RoundingMode.HALF_EVEN);
    }
  }

  /** A total's consumed count and cost, in a long while it fits. */
  private static final class Sum {
    private final Rate rate;
    long consumed;
    private long costUnits;
    private BigDecimal costBig;

    Sum(Rate rate) {
      this.rate = rate;
    }

    void add(long quantity) {
      addPriced(quantity, rate);
    }

    void addPriced(long quantity, Rate by) {
      consumed = Math.addExact(consumed, quantity);
      long units = by.costUnits(quantity);
      if (units >= 0 && costBig == null) {
        try {
          costUnits = Math.addExact(costUnits, units);
          return;
        } catch (ArithmeticException e) {
          // Falls through to the exact sum.
        }
      }
      if (costBig == null) {
        costBig = BigDecimal.valueOf(costUnits, FocusReport.COST_SCALE);
      }
      costBig = costBig.add(units >= 0 ? BigDecimal.valueOf(units, FocusReport.COST_SCALE) : by.cost(quantity));
    }

    BigDecimal cost() {
      return costBig != null ? costBig : BigDecimal.valueOf(costUnits, FocusReport.COST_SCALE);
    }
  }
}
