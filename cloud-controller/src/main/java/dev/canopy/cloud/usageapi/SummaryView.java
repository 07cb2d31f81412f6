package dev.canopy.cloud.usageapi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.FocusRow;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An account's month in short, from the same bill the admin report prints, so the two always agree:
 * consumed totals (exact counts in the consumed unit) and cost per SKU and per resource and SKU, and
 * the month's cost (the bill's total, a decimal string at the bill's fixed scale). Corrections of
 * closed months recorded during this month count here, as the bill charges them in this month.
 */
@JsonPropertyOrder({"accountId", "month", "closed", "currency", "cost", "usageTypes", "resources"})
record SummaryView(String accountId, String month, boolean closed, String currency, String cost, List<Total> usageTypes,
    List<Total> resources) {

  /** One SKU's total, over the whole account ({@code resourceId} null) or one resource. */
  @JsonPropertyOrder({"resourceId", "resourceType", "skuId", "consumedQuantity", "consumedUnit", "cost"})
  record Total(String resourceId, String resourceType, String skuId, long consumedQuantity, String consumedUnit, String cost) {}

  static SummaryView of(FocusReport report, boolean closed, String currency) {
    return new SummaryView(report.accountId(), report.month().toString(), closed, currency,
        report.totalBilledCost().toPlainString(),
        totals(report, row -> new Key(null, null, row.skuId())),
        totals(report, row -> new Key(row.resourceId(), row.resourceType(), row.skuId())));
  }

  private static List<Total> totals(FocusReport report, Function<FocusRow, Key> keyOf) {
    Map<Key, Total> totals = new TreeMap<>();
    for (FocusRow row : report.rows()) {
      Key key = keyOf.apply(row);
      Total was = totals.get(key);
      long quantity = was == null ? row.consumedQuantity() : Math.addExact(was.consumedQuantity(), row.consumedQuantity());
      BigDecimal cost = was == null ? row.billedCost() : new BigDecimal(was.cost()).add(row.billedCost());
      totals.put(key, new Total(key.resourceId(), key.resourceType(), key.skuId(), quantity, row.consumedUnit(), cost.toPlainString()));
    }
    return List.copyOf(totals.values());
  }

  /** Totals in the order of resource, then SKU. */
  private record Key(String resourceId, String resourceType, String skuId) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byResource = String.valueOf(resourceId).compareTo(String.valueOf(other.resourceId));
      return byResource != 0 ? byResource : skuId.compareTo(other.skuId);
    }
  }
}
