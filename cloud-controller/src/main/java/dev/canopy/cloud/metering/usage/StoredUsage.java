package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.TimeRange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link UsageQueries} on the metering store, plus the batches the aggregator has not folded yet
 * (read from the grid), so that a sample shows in a graph as soon as it is stored, whichever
 * controller answers.
 */
public final class StoredUsage implements UsageQueries {

  /** Earlier months searched for corrections recorded in the month asked for. */
  static final int CORRECTED_MONTHS_LOOKBACK = 12;

  private final MeteringStore store;
  private final MeteringService unfolded;
  private final InstanceOwners owners;

  public StoredUsage(MeteringStore store, MeteringService unfolded, InstanceOwners owners) {
    this.store = store;
    this.unfolded = unfolded;
    this.owners = owners;
  }

  @Override
  public List<String> accountsBilledIn(YearMonth month) {
    return store.monthIndex(month).map(index -> List.copyOf(index.accounts())).orElse(List.of());
  }

  @Override
  public Optional<String> ownerOf(String instanceId) {
    Optional<String> metered = store.instance(instanceId).map(MeteredInstance::accountId);
    return metered.isPresent() ? metered : owners.ownerOf(instanceId);
  }

  @Override
  public InstanceSeries instanceSeries(String instanceId, long fromSecond, long toSecond, Step step) {
    if (toSecond <= fromSecond) {
      throw new IllegalArgumentException("a range needs from < to, got (" + fromSecond + ", " + toSecond + "]");
    }
    // Not folded yet, read before the store: a batch folded and forgotten meanwhile is then in the
    // store, never in neither. Stored values win, as the aggregator's blocks keep the first value of a second.
    Map<InstanceDay.SeriesId, Map<Long, Long>> unfoldedPoints = new HashMap<>();
    TimeRange range = new TimeRange(Math.multiplyExact(fromSecond + 1, 1000), Math.multiplyExact(toSecond + 1, 1000));
    for (MeteredPoint p : SamplePoints.of(unfolded.ofInstance(instanceId, range).samples()).points()) {
      unfoldedPoints.computeIfAbsent(new InstanceDay.SeriesId(p.nic(), p.metric()), k -> new HashMap<>()).putIfAbsent(p.second(), p.value());
    }
    Map<InstanceDay.SeriesId, PeriodSums> sums = new TreeMap<>();
    store.instance(instanceId).ifPresent(known -> {
      LocalDate first = max(known.firstDay(), dayOf(fromSecond + 1));
      LocalDate last = min(known.lastDay(), dayOf(toSecond));
      // At most one period per step of the range, and of the days metered in it.
      long meteredSeconds = (java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1) * 86_400L;
      long expectedPeriods = Math.min(toSecond - fromSecond, Math.max(0, meteredSeconds)) / step.seconds() + 1;
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        storedDay(known, day, fromSecond, toSecond).ifPresent(d -> {
          for (InstanceDay.Series s : d.series()) {
            InstanceDay.SeriesId key = new InstanceDay.SeriesId(s.nic(), s.metric());
            PeriodSums line = sums.computeIfAbsent(key, k -> new PeriodSums(step, expectedPeriods));
            Map<Long, Long> shadowed = unfoldedPoints.getOrDefault(key, Map.of());
            d.forEachPoint(s, fromSecond, toSecond, (second, value) -> {
              line.add(second, value);
              if (!shadowed.isEmpty()) {
                shadowed.remove(second);
              }
            });
          }
        });
      }
    });
    unfoldedPoints.forEach((key, byPoint) -> {
      PeriodSums line = sums.computeIfAbsent(key, k -> new PeriodSums(step));
      byPoint.forEach(line::add);
    });
    List<InstanceSeries.Line> lines = new ArrayList<>();
    sums.forEach((key, line) -> lines.add(new InstanceSeries.Line(key.nic(), key.metric(), line.series())));
    return new InstanceSeries(instanceId, fromSecond, toSecond, step, lines);
  }

  /**
   * The day's series as stored: its day record, or while it is kept by the hour only the hour
   * records that can hold points of {@code (fromSecond, toSecond]} (a graph of the last hour reads
   * one or two records).
   */
  private Optional<InstanceDay> storedDay(MeteredInstance known, LocalDate day, long fromSecond, long toSecond) {
    if (!known.keepsByTheHour(day)) {
      return store.dayRecord(known.instanceId(), day);
    }
    long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    // An hour's points are stamped in (start, start + 3600].
    long fromHour = Math.max(dayStart, Math.floorDiv(fromSecond, 3_600L) * 3_600L);
    long toHour = Math.min(dayStart + 86_400, Math.floorDiv(toSecond - 1, 3_600L) * 3_600L + 3_600);
    return InstanceDay.ofHours(known.instanceId(), day, store.hours(known.instanceId(), fromHour, toHour));
  }

  @Override
  public MonthUsage month(String accountId, YearMonth month) {
    return months(List.of(accountId), month).get(0);
  }

  /**
   * Each account's ledger with its open days' records (the same rows before and after a seal), and
   * the corrections recorded in {@code month} in the twelve ledgers before it: thirteen batched
   * reads for all the accounts, and of the earlier ledgers only their adjustments decoded.
   */
  @Override
  public List<MonthUsage> months(List<String> accountIds, YearMonth month) {
    Map<String, AccountMonth> ledgers = store.monthsWithOpenDays(accountIds, month);
    Map<String, List<MonthUsage.Correction>> corrections = new HashMap<>();
    for (int back = CORRECTED_MONTHS_LOOKBACK; back >= 1; back--) {
      store.adjustments(accountIds, month.minusMonths(back)).forEach((accountId, adjustments) -> corrections
          .computeIfAbsent(accountId, a -> new ArrayList<>())
          .addAll(AccountMonth.correctionsRecordedIn(accountId, adjustments, month)));
    }
    Boolean indexClosed = null;
    List<MonthUsage> months = new ArrayList<>(accountIds.size());
    for (String accountId : accountIds) {
      AccountMonth ledger = ledgers.get(accountId);
      boolean closed;
      if (ledger != null) {
        closed = ledger.closed();
      } else {
        // Read once for all the accounts without a ledger.
        indexClosed = indexClosed != null ? indexClosed : isIndexClosed(month);
        closed = indexClosed;
      }
      months.add(new MonthUsage(accountId, month, closed, ledger == null ? List.of() : ledger.usage(),
          corrections.getOrDefault(accountId, List.of())));
    }
    return months;
  }

  private boolean isIndexClosed(YearMonth month) {
    return store.monthIndex(month).map(i -> i.closedAt() != null).orElse(false);
  }

  private static LocalDate dayOf(long second) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(second - 1), ZoneOffset.UTC);
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
