package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The accounts that have a ledger for a month, so the month can be closed (and reported) account by
 * account without listing the store.
 *
 * @param closedAt when every ledger of the month was closed; null until then
 */
public record MonthIndex(YearMonth month, SortedSet<String> accounts, Instant closedAt) {

  public MonthIndex {
    Objects.requireNonNull(month, "month");
    accounts = Collections.unmodifiableSortedSet(new TreeSet<>(accounts));
  }

  public static MonthIndex empty(YearMonth month) {
    return new MonthIndex(month, new TreeSet<>(), null);
  }

  public MonthIndex with(String accountId) {
    if (accounts.contains(accountId)) {
      return this;
    }
    TreeSet<String> more = new TreeSet<>(accounts);
    more.add(accountId);
    return new MonthIndex(month, more, closedAt);
  }
}
