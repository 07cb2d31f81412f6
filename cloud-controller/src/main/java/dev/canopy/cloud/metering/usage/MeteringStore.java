package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where the aggregator keeps what it folded: instance series (by the hour while a day is open, one
 * record per day once it is sealed), account-month ledgers (the rows of open days in account-day
 * records until they are sealed) and their indexes. Apart from the grid
 * (metering is analytics, not transactional state): durable, and every write carries the writer's
 * fencing epoch, so a deposed lease holder's write is refused. Blocking; a failed write throws and
 * changes nothing.
 */
public interface MeteringStore {

  /**
   * The day's record: a day sealed once it was over, a day rolled up, or a day stored before hour
   * records existed (the days before {@link MeteredInstance#hourlyFrom}).
   */
  Optional<InstanceDay> dayRecord(String instanceId, LocalDate day);

  /** One hour's record of a day kept by the hour. */
  Optional<InstanceHour> hour(String instanceId, long hourStart);

  /** The hour records of {@code [fromHour, toHour)} (hour starts), oldest first: a read per hour. */
  default List<InstanceHour> hours(String instanceId, long fromHour, long toHour) {
    List<InstanceHour> found = new ArrayList<>();
    for (long hour = fromHour; hour < toHour; hour += 3_600) {
      hour(instanceId, hour).ifPresent(found::add);
    }
    return found;
  }

  /** Every hour record of a day (24 reads). */
  default List<InstanceHour> hours(String instanceId, LocalDate day) {
    long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    return hours(instanceId, start, start + 86_400);
  }

  /**
   * The instance's day as kept, whichever way: its hour records together while the instance's
   * record says the day is kept by the hour, else its day record.
   */
  default Optional<InstanceDay> day(String instanceId, LocalDate day) {
    boolean byTheHour = instance(instanceId).map(i -> i.keepsByTheHour(day)).orElse(false);
    return byTheHour ? InstanceDay.ofHours(instanceId, day, hours(instanceId, day)) : dayRecord(instanceId, day);
  }

  /** The month's ledger as stored: the rows of sealed days (and of every day once the month closed). */
  Optional<AccountMonth> month(String accountId, YearMonth month);

  /** An account's rows of a day not sealed into its month's ledger yet. */
  Optional<AccountDay> accountDay(String accountId, LocalDate day);

  /**
   * The last day whose account-day records are sealed into their month ledgers, every account's
   * ({@link LedgerSeal}); empty before the first seal. Later days' rows may be in day records.
   */
  Optional<LocalDate> accountDaysSealedThrough();

  /**
   * The month as billed: its ledger with the rows of its unsealed days merged in ({@link
   * AccountMonth#withDays}); empty when neither exists. Reads the seal mark, then the day records,
   * then the ledger: a seal writes the ledger, then deletes the day records, then moves the mark,
   * so a read racing it sees every row in one place or the other. A closed month reads no day
   * record (closing seals the month first).
   */
  default Optional<AccountMonth> monthWithOpenDays(String accountId, YearMonth month) {
    LocalDate sealed = accountDaysSealedThrough().orElse(null);
    LocalDate first = sealed == null || sealed.isBefore(month.atDay(1)) ? month.atDay(1) : sealed.plusDays(1);
    List<AccountDay> open = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
      accountDay(accountId, day).ifPresent(open::add);
    }
    Optional<AccountMonth> ledger = month(accountId, month);
    if (ledger.isEmpty() && open.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ledger.orElseGet(() -> AccountMonth.empty(accountId, month)).withDays(open));
  }

  Optional<MeteredInstance> instance(String instanceId);

  /** Every metered instance's record (small: one per instance ever metered). */
  List<MeteredInstance> instances();

  Optional<MonthIndex> monthIndex(YearMonth month);

  /** Up to where instance-seconds were last folded; empty before the first pass. */
  Optional<Instant> runTimeFoldedThrough();

  /** Writes a day record. */
  void put(InstanceDay day);

  void put(InstanceHour hour);

  void put(AccountMonth month);

  void put(AccountDay day);

  void putAccountDaysSealedThrough(LocalDate day);

  /** Removes an account's day records (sealed into its ledger); absent ones are no error. Not fenced, as {@link #deleteHours}. */
  void deleteAccountDays(String accountId, Collection<LocalDate> days);

  void put(MeteredInstance instance);

  void put(MonthIndex index);

  void putRunTimeFoldedThrough(Instant hour);

  /** Removes hour records (of a day sealed into its day record); absent ones are no error. Not fenced: see the callers. */
  void deleteHours(String instanceId, Collection<Long> hourStarts);

  /**
   * Writes every record of {@code writes}, durable once this returns. A store that can makes it
   * one write; this default puts them one by one (days, hours, instances, indexes, account days,
   * ledgers, cursor),
   * so a failure may leave some written: the aggregator writes only absolute values and retries the pass.
   */
  default void putAll(MeteringWrites writes) {
    writes.days().forEach(this::put);
    writes.hours().forEach(this::put);
    writes.instances().forEach(this::put);
    writes.indexes().forEach(this::put);
    writes.accountDays().forEach(this::put);
    writes.months().forEach(this::put);
    if (writes.runTimeFoldedThrough() != null) {
      putRunTimeFoldedThrough(writes.runTimeFoldedThrough());
    }
  }
}
