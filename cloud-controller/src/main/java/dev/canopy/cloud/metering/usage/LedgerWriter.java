package dev.canopy.cloud.metering.usage;

import java.time.Instant;
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
 * ({@link AccountMonth#withQuantities}). Every metering fold (instances, buckets) writes through
 * it, so the month rules are in one place. Not thread-safe: one pass at a time, on the holder.
 */
public final class LedgerWriter {

  /** What a write did. */
  public record Written(int ledgers, int adjustments, long shrunk) {}

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

  public Written write(Rows gathered, Instant now) {
    Map<YearMonth, MonthIndex> indexes = new HashMap<>();
    int[] ledgers = {0};
    int[] adjustments = {0};
    long[] shrunk = {0};
    gathered.rows.forEach((account, months) -> months.forEach((month, monthRows) -> {
      Optional<AccountMonth> stored = store.month(account, month);
      AccountMonth ledger;
      if (stored.isPresent()) {
        ledger = stored.get();
      } else {
        // The index first: a month is never closed with a ledger it does not list.
        MonthIndex index = indexes.computeIfAbsent(month, m -> store.monthIndex(m).orElseGet(() -> MonthIndex.empty(m)));
        MonthIndex with = index.with(account);
        if (with != index) {
          store.put(with);
          indexes.put(month, with);
        }
        // An account's first usage of a month already closed is a correction like any other.
        AccountMonth empty = AccountMonth.empty(account, month);
        ledger = index.closedAt() == null ? empty : empty.close(index.closedAt());
      }
      AccountMonth.Change change = ledger.withQuantities(monthRows, now);
      adjustments[0] += change.adjusted();
      shrunk[0] += change.shrunk();
      if (change.changed()) {
        store.put(change.month());
        ledgers[0]++;
      }
    }));
    return new Written(ledgers[0], adjustments[0], shrunk[0]);
  }

  /** The stored quantity of one row (0 when none), for folds that must never lower a row. */
  public long stored(String account, AccountMonth.Row row) {
    return store.month(account, AccountMonth.monthOf(row.hourStart())).stream()
        .flatMap(m -> m.rows().stream())
        .filter(r -> r.key().equals(row.key()))
        .mapToLong(AccountMonth.Row::quantity)
        .findFirst().orElse(0);
  }
}
