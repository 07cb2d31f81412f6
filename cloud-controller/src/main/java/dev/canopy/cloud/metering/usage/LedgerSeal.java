package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Seals account days: merges every account's {@link AccountDay} records of days that are over into
 * its month ledger, so a ledger is rewritten once a day instead of on every pass. The accounts come
 * from the month indexes (an account is listed before its first day record is written), so nothing
 * lists the store. Per group of accounts, in this order:
 *
 * <ol>
 *   <li>the ledgers with the days' rows merged in ({@link AccountMonth#withDays}, the larger row);
 *   <li>the day records are deleted;
 *   <li>after every group, the store's seal mark ({@link MeteringStore#accountDaysSealedThrough})
 *       moves to the last day sealed: from then on a pass writes those days' rows to the ledger.
 * </ol>
 *
 * A holder that dies before the mark moved leaves it where it was: the next seal merges again what
 * is still in day records (the same rows, so the same ledger) and finds nothing for the accounts
 * whose records are gone, and a reader meanwhile merges ledger and day records by the same rule.
 */
final class LedgerSeal {

  /** Ledgers written per group: bounds one write's size (a ledger is up to ~115 kB late in a month). */
  private static final int ACCOUNTS_PER_WRITE_MAX = 64;
  /**
   * How many months back a first seal (no mark yet: a new or upgraded cloud) looks for day records:
   * months further back are closed, and closing seals a month first.
   */
  private static final int FIRST_SEAL_MONTHS_BACK = 3;

  private final MeteringStore store;

  LedgerSeal(MeteringStore store) {
    this.store = store;
  }

  /**
   * Seals every account's days through {@code through}; nothing when the mark is there already.
   *
   * @param now when a day of a closed month (never expected: closing seals first) is billed as an adjustment
   * @return the day records sealed
   */
  int sealThrough(LocalDate through, Instant now) {
    Optional<LocalDate> mark = store.accountDaysSealedThrough();
    if (mark.isPresent() && !mark.get().isBefore(through)) {
      return 0;
    }
    LocalDate from = mark.map(d -> d.plusDays(1))
        .orElseGet(() -> YearMonth.from(through).minusMonths(FIRST_SEAL_MONTHS_BACK).atDay(1));
    int sealed = 0;
    for (YearMonth month = YearMonth.from(from); !month.isAfter(YearMonth.from(through)); month = month.plusMonths(1)) {
      LocalDate first = from.isAfter(month.atDay(1)) ? from : month.atDay(1);
      LocalDate last = through.isBefore(month.atEndOfMonth()) ? through : month.atEndOfMonth();
      sealed += sealMonth(month, first, last, now);
    }
    store.putAccountDaysSealedThrough(through);
    return sealed;
  }

  private int sealMonth(YearMonth month, LocalDate first, LocalDate last, Instant now) {
    Optional<MonthIndex> index = store.monthIndex(month);
    if (index.isEmpty() || index.get().closedAt() != null) {
      return 0;
    }
    int sealed = 0;
    Group group = new Group();
    for (String account : index.get().accounts()) {
      List<AccountDay> days = new ArrayList<>();
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        store.accountDay(account, day).ifPresent(days::add);
      }
      if (days.isEmpty()) {
        continue;
      }
      AccountMonth ledger = store.month(account, month).orElseGet(() -> AccountMonth.empty(account, month));
      group.ledgers.add(merged(ledger, days, now));
      group.days.put(account, days.stream().map(AccountDay::day).toList());
      sealed += days.size();
      if (group.days.size() >= ACCOUNTS_PER_WRITE_MAX) {
        group.write();
        group = new Group();
      }
    }
    group.write();
    return sealed;
  }

  /** An open ledger takes the larger row; a closed one (a month closed without its seal, a bug) bills more as adjustments. */
  private static AccountMonth merged(AccountMonth ledger, List<AccountDay> days, Instant now) {
    if (!ledger.closed()) {
      return ledger.withDays(days);
    }
    List<AccountMonth.Row> rows = new ArrayList<>();
    days.forEach(d -> rows.addAll(d.rows()));
    return ledger.withQuantities(rows, now).month();
  }

  /** One group of accounts' seal writes, in their order. */
  private final class Group {
    final MeteringWrites ledgers = new MeteringWrites();
    final Map<String, List<LocalDate>> days = new TreeMap<>();

    void write() {
      if (!ledgers.isEmpty()) {
        store.putAll(ledgers);
      }
      days.forEach(store::deleteAccountDays);
    }
  }
}
