package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The hour records of many instances at once ({@code hourStarts} by instance), those that exist,
   * keyed by instance and then hour start. The aggregator reads a pass's hours with this before it
   * folds them; a store behind a network answers it in one request per thousand, not one per
   * record. This default reads them one by one.
   */
  default Map<String, Map<Long, InstanceHour>> hours(Map<String, ? extends Collection<Long>> hourStarts) {
    Map<String, Map<Long, InstanceHour>> found = new HashMap<>();
    hourStarts.forEach((instanceId, starts) -> {
      for (long hourStart : starts) {
        hour(instanceId, hourStart).ifPresent(h -> found.computeIfAbsent(instanceId, i -> new HashMap<>()).put(hourStart, h));
      }
    });
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
   * The ledgers of {@code accountIds} for {@code month}, by account; an account with none is
   * absent. A store that can reads them in one call; this default reads them one by one.
   */
  default Map<String, AccountMonth> months(Collection<String> accountIds, YearMonth month) {
    Map<String, AccountMonth> found = new HashMap<>();
    for (String accountId : accountIds) {
      month(accountId, month).ifPresent(ledger -> found.put(accountId, ledger));
    }
    return found;
  }

  /**
   * The adjustments recorded in the ledgers of {@code accountIds} for {@code month}, by account (an
   * account with no ledger is absent): what a bill of a later month reads of an earlier one, its
   * corrections. A store that can reads them in one call without building the ledgers' rows; this
   * default reads whole ledgers one by one.
   */
  default Map<String, List<AccountMonth.Adjustment>> adjustments(Collection<String> accountIds, YearMonth month) {
    Map<String, List<AccountMonth.Adjustment>> found = new HashMap<>();
    months(accountIds, month).forEach((accountId, ledger) -> found.put(accountId, ledger.adjustments()));
    return found;
  }

  /**
   * The day records of {@code accountIds} for {@code day}, by account. A store that can reads them
   * in one call; this default reads them one by one.
   */
  default Map<String, AccountDay> accountDays(Collection<String> accountIds, LocalDate day) {
    Map<String, AccountDay> found = new HashMap<>();
    for (String accountId : accountIds) {
      accountDay(accountId, day).ifPresent(d -> found.put(accountId, d));
    }
    return found;
  }

  /**
   * The month as billed: its ledger with the rows of its unsealed days merged in ({@link
   * AccountMonth#withDays}); empty when neither exists. Reads the seal mark, then the day records,
   * then the ledger: a seal writes the ledger, then deletes the day records, then moves the mark,
   * so a read racing it sees every row in one place or the other. A closed month reads no day
   * record (closing seals the month first).
   */
  default Optional<AccountMonth> monthWithOpenDays(String accountId, YearMonth month) {
    return Optional.ofNullable(monthsWithOpenDays(List.of(accountId), month).get(accountId));
  }

  /**
   * {@link #monthWithOpenDays} of many accounts, in the same order of reads, each read batched over
   * the accounts ({@link #accountDays}, {@link #months}): the seal mark once, a read per open day,
   * one of the ledgers. By account; an account with neither ledger nor day record is absent.
   */
  default Map<String, AccountMonth> monthsWithOpenDays(Collection<String> accountIds, YearMonth month) {
    LocalDate sealed = accountDaysSealedThrough().orElse(null);
    LocalDate first = sealed == null || sealed.isBefore(month.atDay(1)) ? month.atDay(1) : sealed.plusDays(1);
    Map<String, List<AccountDay>> open = new HashMap<>();
    for (LocalDate day = first; !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
      accountDays(accountIds, day).forEach((accountId, d) -> open.computeIfAbsent(accountId, a -> new ArrayList<>()).add(d));
    }
    Map<String, AccountMonth> ledgers = months(accountIds, month);
    Map<String, AccountMonth> billed = new HashMap<>();
    for (String accountId : accountIds) {
      AccountMonth ledger = ledgers.get(accountId);
      List<AccountDay> days = open.getOrDefault(accountId, List.of());
      if (ledger != null || !days.isEmpty()) {
        billed.put(accountId, (ledger != null ? ledger : AccountMonth.empty(accountId, month)).withDays(days));
      }
    }
    return billed;
  }

  Optional<MeteredInstance> instance(String instanceId);

  /**
   * The records of {@code instanceIds} that exist, by instance id: as {@link #hours(Map)}, one read
   * for a pass's instances. This default reads them one by one.
   */
  default Map<String, MeteredInstance> instances(Collection<String> instanceIds) {
    Map<String, MeteredInstance> found = new HashMap<>();
    for (String instanceId : instanceIds) {
      instance(instanceId).ifPresent(i -> found.put(instanceId, i));
    }
    return found;
  }

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
