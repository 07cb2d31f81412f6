package dev.canopy.cloud.metering.usage;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * What the usage API, the billing report and the console read: the metering store's series and
 * hourly ledger, never the raw samples. Blocking (store reads): call it off the event loop.
 */
public interface UsageQueries {

  /** The account that owned the instance when it was metered; empty when nothing was metered for it. */
  Optional<String> ownerOf(String instanceId);

  /**
   * The instance's series for graphs: each metric's values summed per {@code step}, over the points
   * stamped in {@code (fromSecond, toSecond]} (a value is what happened in the interval that ended at
   * its second). Periods with no point are absent, not zero.
   *
   * @param step one of {@link Step}
   */
  InstanceSeries instanceSeries(String instanceId, long fromSecond, long toSecond, Step step);

  /**
   * The account's billable usage of {@code month}: its hourly rows (frozen once the month is closed)
   * and the corrections recorded during the month for earlier, closed months.
   */
  MonthUsage month(String accountId, YearMonth month);

  /**
   * {@link #month} of each of {@code accountIds}, in their order: what a run over many accounts (the
   * month-end billing) reads, in a few batched reads where the store allows. This default reads
   * them one by one.
   */
  default List<MonthUsage> months(List<String> accountIds, YearMonth month) {
    return accountIds.stream().map(accountId -> month(accountId, month)).toList();
  }

  /** Every account with usage or corrections recorded in {@code month}, in id order: whom its bills go to. */
  List<String> accountsBilledIn(YearMonth month);
}
