package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.billing.HourlyUsage;
import java.time.Instant;
import java.util.List;

/** Instance-seconds by instance type, from the instances' lifecycle: what the aggregator folds into the ledgers. */
@FunctionalInterface
public interface RunTimeSource {

  /**
   * Every account's {@code INSTANCE_SECONDS} per instance and hour in {@code [fromHour, toHour)},
   * absolute (the whole hour's seconds so far); an interval still open counts up to {@code now}.
   */
  List<HourlyUsage> hours(Instant fromHour, Instant toHour, Instant now);
}
