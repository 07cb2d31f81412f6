package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes absolute rows into account-month ledgers, each ledger once: the month index first (a
 * month is never closed with a ledger it does not list), an account's first usage of a closed
 * month as a correction, and a closed month's larger quantity as an {@link AccountMonth.Adjustment}
 * ({@link AccountMonth#withQuantities}). Rows of an open month's days not sealed yet go into
 * {@link AccountDay} records instead, so a pass writes the days it touched, not whole months;
 * {@link LedgerSeal} moves them into the ledger once the day is over. Every metering fold (instances, buckets) writes through
 * it, so the month rules are in one place. Not thread-safe: one pass at a time, on the holder.
 */
public final class LedgerWriter {

  /** What a write did. */
  /** What a write did; {@code accountDays} counts day records written. */
  public record Written(int ledgers, int adjustments, long shrunk, int accountDays) {}

  /** Rows gathered per account and month, written together. */
  public static final class Rows {
    private final Map<String, Map<YearMonth, List<AccountMonth.Row>>> rows = new TreeMap<>();

    public void add(String account, AccountMonth.Row row) {
      rows.computeIfAbsent(account, a -> new TreeMap<>())
          .computeIfAbsent(AccountMonth.monthOf(row.hourStart()), m -> new ArrayList<>()).add(row);
    }

    public boolean isEmpty() {
      return rows.isEmpty();
    }
  }

  private final MeteringStore store;

  public LedgerWriter(MeteringStore store) {
    this.store = store;
  }

  /** Writes {@code gathered}: the month indexes that list an account for the first time, then the ledgers. */
  public Written write(Rows gathered, Instant now) {
    Staging staging = new Staging(store);
    MeteringWrites ledgers = staging.changed(gathered, now);
    MeteringWrites listings = staging.listings();
    if (!listings.isEmpty()) {
      store.putAll(listings);
    }
    if (!ledgers.isEmpty()) {
      store.putAll(ledgers);
    }
    return staging.written();
  }

  /**
   * One pass's view of the ledgers it changes: each account-month read once and carried from
   * step to step, so that a pass writing in several ordered steps (the instance fold) sees in a
   * later step what an earlier one changed; the indexes to extend are collected apart, to be
   * written before any ledger they list.
   */
  public static final class Staging {
    private final MeteringStore store;
    private final Map<String, AccountMonth> current = new HashMap<>();
    private final Map<String, AccountDay> currentDays = new HashMap<>();
    private final Map<YearMonth, MonthIndex> indexes = new HashMap<>();
    private final Map<YearMonth, MonthIndex> listed = new TreeMap<>();
    private int ledgers;
    private int adjustments;
    private long shrunk;
    private int accountDays;
    /** Days through which rows belong in the ledgers; read once, a pass never runs beside a seal. */
    private Optional<LocalDate> sealedThrough;

    public Staging(MeteringStore store) {
      this.store = store;
    }

    /**
     * The ledgers and account days {@code gathered} changes, each once: rows of an open month's
     * unsealed days into their day records, the others (sealed days, closed months) into the ledger.
     */
    public MeteringWrites changed(Rows gathered, Instant now) {
      MeteringWrites changed = new MeteringWrites();
      if (sealedThrough == null) {
        sealedThrough = store.accountDaysSealedThrough();
      }
      gathered.rows.forEach((account, months) -> months.forEach((month, monthRows) -> {
        String key = account + "/" + month;
        AccountMonth ledger = current.computeIfAbsent(key, k -> store.month(account, month).orElseGet(() -> firstLedger(account, month)));
        List<AccountMonth.Row> ledgerRows = new ArrayList<>();
        Map<LocalDate, List<AccountMonth.Row>> dayRows = new TreeMap<>();
        for (AccountMonth.Row r : monthRows) {
          LocalDate day = AccountDay.dayOf(r);
          if (!ledger.closed() && sealedThrough.map(day::isAfter).orElse(true)) {
            dayRows.computeIfAbsent(day, d -> new ArrayList<>()).add(r);
          } else {
            ledgerRows.add(r);
          }
        }
        dayRows.forEach((day, rows) -> changeDay(account, day, rows, changed));
        if (ledgerRows.isEmpty()) {
          return;
        }
        AccountMonth.Change change = ledger.withQuantities(ledgerRows, now);
        adjustments += change.adjusted();
        shrunk += change.shrunk();
        if (change.changed()) {
          current.put(key, change.month());
          changed.add(change.month());
          ledgers++;
        }
      }));
      return changed;
    }

    private void changeDay(String account, LocalDate day, List<AccountMonth.Row> rows, MeteringWrites changed) {
      String key = account + "/" + day;
      AccountDay stored = currentDays.computeIfAbsent(key, k -> store.accountDay(account, day).orElseGet(() -> AccountDay.empty(account, day)));
      AccountDay.Change change = stored.withQuantities(rows);
      if (change.changed()) {
        currentDays.put(key, change.day());
        changed.add(change.day());
        accountDays++;
      }
    }

    /** The month indexes that list an account for the first time since the last call: written before their ledgers. */
    public MeteringWrites listings() {
      MeteringWrites writes = new MeteringWrites();
      listed.values().forEach(writes::add);
      listed.clear();
      return writes;
    }

    public Written written() {
      return new Written(ledgers, adjustments, shrunk, accountDays);
    }

    /** A ledger not stored yet; its month's index will list its account. */
    private AccountMonth firstLedger(String account, YearMonth month) {
      MonthIndex index = indexes.computeIfAbsent(month, m -> store.monthIndex(m).orElseGet(() -> MonthIndex.empty(m)));
      MonthIndex with = index.with(account);
      if (with != index) {
        indexes.put(month, with);
        listed.put(month, with);
      }
      // An account's first usage of a month already closed is a correction like any other.
      AccountMonth empty = AccountMonth.empty(account, month);
      return index.closedAt() == null ? empty : empty.close(index.closedAt());
    }
  }

  /**
   * The stored quantity of one row (0 when none), for folds that must never lower a row: the
   * larger of its day record's and its ledger's, as readers see it ({@link AccountMonth#withDays}).
   * The day record first, as {@link MeteringStore#monthWithOpenDays} reads.
   */
  public long stored(String account, AccountMonth.Row row) {
    long inDay = store.accountDay(account, AccountDay.dayOf(row)).map(d -> d.quantityOf(row)).orElse(0L);
    long inLedger = store.month(account, AccountMonth.monthOf(row.hourStart())).stream()
        .flatMap(m -> m.rows().stream())
        .filter(r -> r.key().equals(row.key()))
        .mapToLong(AccountMonth.Row::quantity)
        .findFirst().orElse(0);
    return Math.max(inDay, inLedger);
  }
}
