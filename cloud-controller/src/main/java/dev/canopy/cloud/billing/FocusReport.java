package dev.canopy.cloud.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One account's bill for one calendar month (UTC), built from its hourly usage: one {@link
 * FocusRow} per resource, SKU and hour, in the order of hour, resource and SKU.
 *
 * <p>Rounding, stated once: {@code ConsumedQuantity} is the exact metered count (bytes, seconds,
 * requests, byte-hours), so rows add up to the meter's totals exactly. {@code PricingQuantity} is
 * that count in the pricing unit rounded half-even to {@value #QUANTITY_SCALE} places; {@code
 * ListCost} (= {@code BilledCost} = {@code EffectiveCost}: there are no discounts) is the exact
 * product of the consumed count and the unit price, divided by the units per pricing unit, rounded
 * half-even to {@value #COST_SCALE} places per row. A total is the sum of its rows' costs.
 */
public final class FocusReport {

  public static final int QUANTITY_SCALE = 12;
  public static final int COST_SCALE = 10;
  private static final String PROVIDER = "Canopy";
  /** FOCUS's ChargeClass of a row that corrects an earlier, closed billing period. */
  private static final String CORRECTION = "Correction";

  private final String accountId;
  private final YearMonth month;
  private final List<FocusRow> rows;

  private FocusReport(String accountId, YearMonth month, List<FocusRow> rows) {
    this.accountId = accountId;
    this.month = month;
    this.rows = rows;
  }

  /** A bill without corrections: see {@link #build(String, YearMonth, List, List, PriceSheet)}. */
  public static FocusReport build(String accountId, YearMonth month, List<HourlyUsage> usage, PriceSheet prices) {
    return build(accountId, month, usage, List.of(), prices);
  }

  /**
   * @param usage the account's hourly usage of the month; several entries for one resource, SKU
   *     and hour (late samples) are added up into one row
   * @param corrections usage of hours of earlier, closed months noticed during this month: each
   *     becomes a row with {@code ChargeClass} "Correction", charged for its hour, billed in this month
   * @throws IllegalArgumentException for usage of another account, or outside the month (a
   *     correction: not before it)
   */
  public static FocusReport build(
      String accountId, YearMonth month, List<HourlyUsage> usage, List<HourlyUsage> corrections, PriceSheet prices) {
    Instant periodStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant periodEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<LineKey, Line> lines = new TreeMap<>();
    for (HourlyUsage u : usage) {
      if (u.hourStart().isBefore(periodStart) || !u.hourStart().isBefore(periodEnd)) {
        throw new IllegalArgumentException("usage of " + u.hourStart() + " in the bill of " + month);
      }
      add(lines, accountId, u, false);
    }
    for (HourlyUsage u : corrections) {
      if (!u.hourStart().isBefore(periodStart)) {
        throw new IllegalArgumentException("a correction of " + u.hourStart() + " in the bill of " + month);
      }
      add(lines, accountId, u, true);
    }
    String start = periodStart.toString();
    String end = periodEnd.toString();
    List<FocusRow> rows = lines.entrySet().stream()
        .map(e -> row(accountId, start, end, e.getKey(), e.getValue(), prices))
        .toList();
    return new FocusReport(accountId, month, rows);
  }

  private static void add(Map<LineKey, Line> lines, String accountId, HourlyUsage u, boolean correction) {
    if (!u.accountId().equals(accountId)) {
      throw new IllegalArgumentException("usage of account " + u.accountId() + " in the bill of " + accountId);
    }
    LineKey key = new LineKey(correction, u.hourStart(), u.resourceId(), u.skuId());
    lines.computeIfAbsent(key, k -> new Line(u.type(), new TreeMap<>())).add(u);
  }

  private static FocusRow row(String accountId, String start, String end, LineKey key, Line line, PriceSheet prices) {
    UsageType type = line.type;
    // A GB-month is priced by the length of the month the bytes were kept in, also when corrected later.
    BigDecimal perPricingUnit = type.consumedPerPricingUnit(YearMonth.from(key.hourStart().atZone(ZoneOffset.UTC)));
    BigDecimal consumed = BigDecimal.valueOf(line.quantity);
    BigDecimal price = prices.price(key.skuId());
    BigDecimal pricingQuantity = consumed.divide(perPricingUnit, QUANTITY_SCALE, RoundingMode.HALF_EVEN);
    BigDecimal cost = consumed.multiply(price).divide(perPricingUnit, COST_SCALE, RoundingMode.HALF_EVEN);
    return new FocusRow(
        lineId(accountId, key), accountId, start, end,
        key.hourStart().toString(), key.hourStart().plus(Duration.ofHours(1)).toString(),
        "Usage", key.correction() ? CORRECTION : null, "Usage-Based", type.pricingUnit() + " of " + key.skuId(),
        PROVIDER, PROVIDER, PROVIDER,
        type.serviceName(), type.serviceCategory(), key.resourceId(), type.resourceType(), key.skuId(),
        line.quantity, type.consumedUnit(), pricingQuantity, type.pricingUnit(), price, cost, cost, cost,
        prices.currency(), line.tags);
  }

  /** SHA-256 of what identifies the line, 128 bits in hex: stable across runs and machines. */
  private static String lineId(String accountId, LineKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(
          String.join("\n", accountId, key.resourceId(), key.skuId(), key.hourStart().toString(),
              key.correction() ? CORRECTION : "")
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public String accountId() {
    return accountId;
  }

  public YearMonth month() {
    return month;
  }

  public List<FocusRow> rows() {
    return rows;
  }

  /** The bill's total: the sum of its rows' billed costs. */
  public BigDecimal totalBilledCost() {
    return rows.stream().map(FocusRow::billedCost).reduce(BigDecimal.ZERO.setScale(COST_SCALE), BigDecimal::add);
  }

  /** Corrections after the month's own rows, each group in the order of hour, resource and SKU. */
  private record LineKey(boolean correction, Instant hourStart, String resourceId, String skuId) implements Comparable<LineKey> {
    private static final Comparator<LineKey> ORDER = Comparator.comparing(LineKey::correction).thenComparing(LineKey::hourStart)
        .thenComparing(LineKey::resourceId).thenComparing(LineKey::skuId);

    @Override
    public int compareTo(LineKey other) {
      return ORDER.compare(this, other);
    }
  }

  /** Usage gathered into one line; tags of later entries win (the resource's latest). */
  private static final class Line {
    private final UsageType type;
    private final Map<String, String> tags;
    private long quantity;

    Line(UsageType type, Map<String, String> tags) {
      this.type = type;
      this.tags = tags;
    }

    void add(HourlyUsage usage) {
      quantity = Math.addExact(quantity, usage.quantity());
      tags.putAll(usage.tags());
    }
  }
}
