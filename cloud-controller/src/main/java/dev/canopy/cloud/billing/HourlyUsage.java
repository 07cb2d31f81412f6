package dev.canopy.cloud.billing;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One resource's exact usage of one type within one UTC hour: what the metering store's hourly
 * increments hold and what billing reads (never the raw samples).
 *
 * @param instanceType the instance's type for {@link UsageType#INSTANCE_SECONDS}, else null
 * @param quantity in the type's consumed unit, never negative
 * @param tags the resource's tags when the hour was metered
 */
public record HourlyUsage(
    String accountId, String resourceId, UsageType type, String instanceType, Instant hourStart, long quantity,
    Map<String, String> tags) {

  public HourlyUsage {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hourStart, "hourStart");
    // Arithmetic, not truncatedTo(HOURS): a month-end run checks tens of millions of rows, and the
    // Instant that truncatedTo makes per row was a tenth of its time.
    if (hourStart.getNano() != 0 || Math.floorMod(hourStart.getEpochSecond(), 3_600L) != 0) {
      throw new IllegalArgumentException("an hour starts on the hour (UTC): " + hourStart);
    }
    if (quantity < 0) {
      throw new IllegalArgumentException("usage is never negative: " + quantity);
    }
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  String skuId() {
    return type.skuId(instanceType);
  }
}
