package dev.canopy.cloud.metering.usage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One account's ledger rows of one UTC day that is still open: kept apart from the month's ledger
 * so that a metering pass writes the few small day records it touches instead of rewriting the
 * whole month (a ledger reaches ~115 kB late in the month). {@link LedgerSeal} merges a day into
 * its {@link AccountMonth} once the day is over and deletes it. Rows are absolute quantities,
 * replaced as the month's own rows are while the month is open.
 */
public record AccountDay(String accountId, LocalDate day, List<AccountMonth.Row> rows) {

  public AccountDay {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(day, "day");
    rows = List.copyOf(rows);
    for (AccountMonth.Row r : rows) {
      if (!dayOf(r).equals(day)) {
        throw new IllegalArgumentException("usage of " + r.hourStart() + " in the day record of " + day);
      }
    }
  }

  /** What a change did to the day. */
  public record Change(AccountDay day, boolean changed) {}

  public static AccountDay empty(String accountId, LocalDate day) {
    return new AccountDay(accountId, day, List.of());
  }

  public static LocalDate dayOf(AccountMonth.Row row) {
    return LocalDate.ofInstant(row.hourStart(), ZoneOffset.UTC);
  }

  /** This day with each row set to its absolute quantity, as an open month's ledger sets it. */
  public Change withQuantities(List<AccountMonth.Row> absolute) {
    Map<AccountMonth.Key, AccountMonth.Row> byKey = new LinkedHashMap<>();
    rows.forEach(r -> byKey.put(r.key(), r));
    boolean changed = false;
    for (AccountMonth.Row r : absolute) {
      AccountMonth.Row current = byKey.get(r.key());
      if (current == null || current.quantity() != r.quantity()) {
        byKey.put(r.key(), r);
        changed = true;
      }
    }
    if (!changed) {
      return new Change(this, false);
    }
    List<AccountMonth.Row> sorted = new ArrayList<>(byKey.values());
    sorted.sort(AccountMonth.ROW_ORDER);
    return new Change(new AccountDay(accountId, day, sorted), true);
  }

  /** The quantity of {@code row}'s resource, type and hour here; 0 when none. */
  long quantityOf(AccountMonth.Row row) {
    for (AccountMonth.Row r : rows) {
      if (r.key().equals(row.key())) {
        return r.quantity();
      }
    }
    return 0;
  }
}
