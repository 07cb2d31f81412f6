package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.billing.HourlyUsage;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * An account's billable usage of one month.
 *
 * @param closed whether the month is closed: its rows no longer change, and a later change to
 *     them is a correction recorded in the month it was noticed
 * @param usage the month's hourly rows
 * @param corrections changes to earlier, closed months, recorded during this month
 */
public record MonthUsage(String accountId, YearMonth month, boolean closed, List<HourlyUsage> usage, List<Correction> corrections) {

  public MonthUsage {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(month, "month");
    usage = List.copyOf(usage);
    corrections = List.copyOf(corrections);
  }

  /**
   * A change to a closed month's hour: {@code change.quantity()} more than was billed for that
   * resource, type and hour (usage only grows: late samples add to it).
   *
   * @param recordedAt when the aggregator noticed it
   */
  public record Correction(HourlyUsage change, Instant recordedAt) {
    public Correction {
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(recordedAt, "recordedAt");
    }
  }
}
