package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One account's hourly usage ledger for one UTC month: what billing reads. Each row holds the
 * absolute quantity of one resource, usage type and hour, as the aggregator last computed it from
 * the metered series, so writing the same row again changes nothing (a replay after a leader
 * change counts nothing twice).
 *
 * <p>Once the month is closed its rows never change: a later, larger quantity (late samples) is
 * kept as an {@link Adjustment} of the difference, recorded when it was noticed, which the bill of
 * that later month shows as a correction.
 *
 * @param closedAt when the month was closed; null while open
 */
public record AccountMonth(String accountId, YearMonth month, Instant closedAt, List<Row> rows, List<Adjustment> adjustments) {

  static final Comparator<Row> ROW_ORDER = Comparator.comparing(Row::hourStart).thenComparing(Row::resourceId)
      .thenComparing(Row::type).thenComparing(r -> r.instanceType() == null ? "" : r.instanceType());

  public AccountMonth {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(month, "month");
    rows = List.copyOf(rows);
    adjustments = List.copyOf(adjustments);
  }

  /** @param instanceType the instance's type for instance-seconds, else null */
  public record Row(String resourceId, UsageType type, String instanceType, Instant hourStart, long quantity) {
    public Row {
      Objects.requireNonNull(resourceId, "resourceId");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(hourStart, "hourStart");
      if (quantity < 0) {
        throw new IllegalArgumentException("usage is never negative: " + quantity);
      }
    }

    Key key() {
      return new Key(resourceId, type, instanceType, hourStart);
    }
  }

  /** Usage of a closed month's hour noticed after it closed: {@code delta} more than was billed. */
  public record Adjustment(String resourceId, UsageType type, String instanceType, Instant hourStart, long delta, Instant recordedAt) {
    Key key() {
      return new Key(resourceId, type, instanceType, hourStart);
    }
  }

  /** What a change did to the ledger. */
  public record Change(AccountMonth month, boolean changed, int adjusted, long shrunk) {}

  record Key(String resourceId, UsageType type, String instanceType, Instant hourStart) {}

  public static AccountMonth empty(String accountId, YearMonth month) {
    return new AccountMonth(accountId, month, null, List.of(), List.of());
  }

  public static YearMonth monthOf(Instant hourStart) {
    return YearMonth.from(hourStart.atZone(ZoneOffset.UTC));
  }

  public boolean closed() {
    return closedAt != null;
  }

  /**
   * This ledger with each row set to its absolute quantity (rows of this month only). While open a
   * row is replaced; once closed, a quantity above what was billed (row plus adjustments so far) adds
   * an adjustment recorded at {@code now}, and one below it changes nothing and is reported in
   * {@link Change#shrunk()} (usage counted from samples only grows; a shrink means a bug).
   */
  public Change withQuantities(List<Row> absolute, Instant now) {
    Map<Key, Row> byKey = new LinkedHashMap<>();
    rows.forEach(r -> byKey.put(r.key(), r));
    List<Adjustment> adjusted = new ArrayList<>(adjustments);
    boolean changed = false;
    int adjustedCount = 0;
    long shrunk = 0;
    for (Row r : absolute) {
      if (!monthOf(r.hourStart()).equals(month)) {
        throw new IllegalArgumentException("usage of " + r.hourStart() + " in the ledger of " + month);
      }
      Row current = byKey.get(r.key());
      long billed = current == null ? 0 : current.quantity();
      if (!closed()) {
        if (billed != r.quantity()) {
          byKey.put(r.key(), r);
          changed = true;
        }
        continue;
      }
      for (Adjustment a : adjusted) {
        if (a.key().equals(r.key())) {
          billed = Math.addExact(billed, a.delta());
        }
      }
      if (r.quantity() > billed) {
        adjusted.add(new Adjustment(r.resourceId(), r.type(), r.instanceType(), r.hourStart(), r.quantity() - billed, now));
        changed = true;
        adjustedCount++;
      } else if (r.quantity() < billed) {
        shrunk = Math.addExact(shrunk, billed - r.quantity());
      }
    }
    if (!changed) {
      return new Change(this, false, 0, shrunk);
    }
    List<Row> sorted = new ArrayList<>(byKey.values());
    sorted.sort(ROW_ORDER);
    return new Change(new AccountMonth(accountId, month, closedAt, sorted, adjusted), true, adjustedCount, shrunk);
  }

  /**
   * This ledger with the rows of {@code days} (open days of this month) merged in, each row the
   * larger of the two: a ledger stored before day records existed may hold rows of a day that also
   * has a day record, and usage only grows, so the larger is the later. Readers see a month this
   * way, and {@link LedgerSeal} writes it, so a report reads the same before and after a seal.
   */
  public AccountMonth withDays(List<AccountDay> days) {
    if (days.isEmpty()) {
      return this;
    }
    Map<Key, Row> byKey = new LinkedHashMap<>();
    rows.forEach(r -> byKey.put(r.key(), r));
    for (AccountDay d : days) {
      if (!YearMonth.from(d.day()).equals(month) || !d.accountId().equals(accountId)) {
        throw new IllegalArgumentException("the day record " + d.accountId() + "/" + d.day() + " in the ledger of " + accountId + "/" + month);
      }
      for (Row r : d.rows()) {
        byKey.merge(r.key(), r, (a, b) -> a.quantity() >= b.quantity() ? a : b);
      }
    }
    List<Row> sorted = new ArrayList<>(byKey.values());
    sorted.sort(ROW_ORDER);
    return new AccountMonth(accountId, month, closedAt, sorted, adjustments);
  }

  /** This month, closed at {@code now}: its rows are frozen. */
  public AccountMonth close(Instant now) {
    return closed() ? this : new AccountMonth(accountId, month, now, rows, adjustments);
  }

  /** The rows as billing reads them. */
  public List<HourlyUsage> usage() {
    return rows.stream().map(r -> new HourlyUsage(accountId, r.resourceId(), r.type(), r.instanceType(), r.hourStart(),
        r.quantity(), Map.of())).toList();
  }

  /** The adjustments recorded in {@code recordedIn}, as corrections of this month billed then. */
  public List<MonthUsage.Correction> correctionsRecordedIn(YearMonth recordedIn) {
    return correctionsRecordedIn(accountId, adjustments, recordedIn);
  }

  /** {@link #correctionsRecordedIn(YearMonth)} of an account's ledger read for its adjustments only. */
  static List<MonthUsage.Correction> correctionsRecordedIn(String accountId, List<Adjustment> adjustments, YearMonth recordedIn) {
    return adjustments.stream().filter(a -> monthOf(a.recordedAt()).equals(recordedIn))
        .map(a -> new MonthUsage.Correction(new HourlyUsage(accountId, a.resourceId(), a.type(), a.instanceType(), a.hourStart(),
            a.delta(), Map.of()), a.recordedAt()))
        .toList();
  }
}
