package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * Where the aggregator keeps what it folded: instance-days of series blocks, account-month
 * ledgers and their indexes. Apart from the grid (metering is analytics, not transactional
 * state): durable, and every write carries the writer's fencing epoch, so a deposed lease holder's
 * write is refused. Blocking; a failed write throws and changes nothing.
 */
public interface MeteringStore {

  Optional<InstanceDay> day(String instanceId, LocalDate day);

  Optional<AccountMonth> month(String accountId, YearMonth month);

  Optional<MeteredInstance> instance(String instanceId);

  /** Every metered instance's record (small: one per instance ever metered). */
  List<MeteredInstance> instances();

  Optional<MonthIndex> monthIndex(YearMonth month);

  /** Up to where instance-seconds were last folded; empty before the first pass. */
  Optional<Instant> runTimeFoldedThrough();

  void put(InstanceDay day);

  void put(AccountMonth month);

  void put(MeteredInstance instance);

  void put(MonthIndex index);

  void putRunTimeFoldedThrough(Instant hour);

  /**
   * Writes every record of {@code writes}, durable once this returns. A store that can makes it
   * one write; this default puts them one by one (days, instances, indexes, ledgers, cursor), so a
   * failure may leave some written: the aggregator writes only absolute values and retries the pass.
   */
  default void putAll(MeteringWrites writes) {
    writes.days().forEach(this::put);
    writes.instances().forEach(this::put);
    writes.indexes().forEach(this::put);
    writes.months().forEach(this::put);
    if (writes.runTimeFoldedThrough() != null) {
      putRunTimeFoldedThrough(writes.runTimeFoldedThrough());
    }
  }
}
