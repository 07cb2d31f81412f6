package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.metering.StoredBytes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metering store in memory, for the aggregator's unit tests and the usage benchmarks (the domain's
 * cost without a store's); can fail ledger writes as a dying holder would.
 */
public final class InMemoryMeteringStore implements MeteringStore {

  final Map<String, InstanceDay> days = new HashMap<>();
  /** Hour records by instance and hour start. */
  final Map<String, InstanceHour> hours = new HashMap<>();
  final Map<String, AccountMonth> months = new HashMap<>();
  /** Account-day records by account and day. */
  final Map<String, AccountDay> accountDays = new HashMap<>();
  private LocalDate accountDaysSealedThrough;
  /** Bytes of every ledger and account-day record written, as the binary codec encodes them: what a pass costs a store. */
  long ledgerBytesWritten;
  /** Whether writes count {@link #ledgerBytesWritten} (encoding each record costs a benchmark's time). */
  boolean countBytes;
  long accountDayBytesWritten;
  /** Ledgers written since the store was made (or the counts were reset). */
  int ledgerWrites;
  int accountDayWrites;
  /** Fails the next deletes of account days, as a holder that dies between a seal's ledger write and its deletes. */
  boolean failAccountDayDeletes;
  final Map<String, MeteredInstance> instances = new HashMap<>();
  final Map<YearMonth, MonthIndex> indexes = new HashMap<>();
  private Instant runTimeThrough;
  boolean failLedgerWrites;
  /** Every {@link #putAll} call's records, in order: what one durable write of a store would hold. */
  final List<MeteringWrites> batchWrites = new ArrayList<>();
  /** Records put one by one, outside a {@link #putAll}. */
  int singlePuts;
  private boolean inBatch;

  @Override
  public Optional<InstanceDay> dayRecord(String instanceId, LocalDate day) {
    return Optional.ofNullable(days.get(instanceId + "/" + day));
  }

  @Override
  public Optional<InstanceHour> hour(String instanceId, long hourStart) {
    return Optional.ofNullable(hours.get(instanceId + "/" + hourStart));
  }

  @Override
  public Optional<AccountMonth> month(String accountId, YearMonth month) {
    return Optional.ofNullable(months.get(accountId + "/" + month));
  }

  @Override
  public Optional<AccountDay> accountDay(String accountId, LocalDate day) {
    return Optional.ofNullable(accountDays.get(accountId + "/" + day));
  }

  @Override
  public Optional<LocalDate> accountDaysSealedThrough() {
    return Optional.ofNullable(accountDaysSealedThrough);
  }

  @Override
  public Optional<MeteredInstance> instance(String instanceId) {
    return Optional.ofNullable(instances.get(instanceId));
  }

  @Override
  public List<MeteredInstance> instances() {
    return List.copyOf(instances.values());
  }

  @Override
  public Optional<MonthIndex> monthIndex(YearMonth month) {
    return Optional.ofNullable(indexes.get(month));
  }

  @Override
  public Optional<Instant> runTimeFoldedThrough() {
    return Optional.ofNullable(runTimeThrough);
  }

  @Override
  public void put(InstanceDay day) {
    countSingle();
    days.put(day.instanceId() + "/" + day.day(), day);
  }

  @Override
  public void put(InstanceHour hour) {
    countSingle();
    hours.put(hour.instanceId() + "/" + hour.hourStart(), hour);
  }

  @Override
  public void deleteHours(String instanceId, Collection<Long> hourStarts) {
    hourStarts.forEach(h -> hours.remove(instanceId + "/" + h));
  }

  @Override
  public void put(AccountMonth month) {
    countSingle();
    if (failLedgerWrites) {
      throw new IllegalStateException("the store is gone");
    }
    months.put(month.accountId() + "/" + month.month(), month);
    ledgerWrites++;
    ledgerBytesWritten += countBytes ? StoredBytes.of(month) : 0;
  }

  @Override
  public void put(AccountDay day) {
    countSingle();
    if (failLedgerWrites) {
      throw new IllegalStateException("the store is gone");
    }
    accountDays.put(day.accountId() + "/" + day.day(), day);
    accountDayWrites++;
    accountDayBytesWritten += countBytes ? StoredBytes.of(day) : 0;
  }

  @Override
  public void putAccountDaysSealedThrough(LocalDate day) {
    countSingle();
    accountDaysSealedThrough = day;
  }

  @Override
  public void deleteAccountDays(String accountId, Collection<LocalDate> days) {
    if (failAccountDayDeletes) {
      throw new IllegalStateException("the holder died before deleting the sealed days");
    }
    days.forEach(d -> accountDays.remove(accountId + "/" + d));
  }

  @Override
  public void put(MeteredInstance instance) {
    countSingle();
    instances.put(instance.instanceId(), instance);
  }

  @Override
  public void put(MonthIndex index) {
    countSingle();
    indexes.put(index.month(), index);
  }

  @Override
  public void putRunTimeFoldedThrough(Instant hour) {
    countSingle();
    runTimeThrough = hour;
  }

  @Override
  public void putAll(MeteringWrites writes) {
    batchWrites.add(writes);
    inBatch = true;
    try {
      MeteringStore.super.putAll(writes);
    } finally {
      inBatch = false;
    }
  }

  private void countSingle() {
    if (!inBatch) {
      singlePuts++;
    }
  }
}
