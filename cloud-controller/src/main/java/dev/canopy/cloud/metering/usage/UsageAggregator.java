package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lease holder's aggregator: folds stored sample batches into instance-day series and
 * account-month ledgers, folds instance-seconds from the lifecycle, and closes months.
 *
 * <p>Exactly once without a record of batch ids: a batch's points land in blocks that keep the
 * first value of each series and second, and ledger rows are written as absolute quantities
 * recomputed from those blocks. Folding a batch again (a leader that died before the batch was
 * forgotten, a resend) therefore adds nothing and rewrites the same numbers, and a leader change
 * loses nothing as long as batches are forgotten only after their fold was stored. Not
 * thread-safe: one pass at a time, on the holder.
 */
public final class UsageAggregator {

  private static final Duration HOUR = Duration.ofHours(1);
  /** How many months back a pass looks for months to close: a holder away for longer closes them late. */
  private static final int MONTHS_TO_CLOSE_LOOKBACK = 3;

  /**
   * @param monthCloseGrace how long after its end a month takes late samples as ordinary usage;
   *     after it, the month is closed and late usage becomes corrections
   * @param runTimeLookback how far back each fold of instance-seconds recomputes hours, for
   *     transitions recorded late (a node that came back, a leader change)
   * @param runTimeEvery how often instance-seconds are folded (each fold rewrites the current hour)
   * @param rawRetention how long an instance-day keeps its points as sent; older days are rolled up
   *     to per-minute sums (kept for as long as the store keeps them), checked once an hour
   */
  public record Settings(Duration monthCloseGrace, Duration runTimeLookback, Duration runTimeEvery, Duration rawRetention) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofDays(2), Duration.ofHours(2), Duration.ofMinutes(1), Duration.ofDays(30));

    public Settings {
      Objects.requireNonNull(monthCloseGrace, "monthCloseGrace");
      Objects.requireNonNull(runTimeLookback, "runTimeLookback");
      Objects.requireNonNull(runTimeEvery, "runTimeEvery");
      if (rawRetention.compareTo(Duration.ofDays(1)) < 0) {
        throw new IllegalArgumentException("raw points are kept at least a day, not " + rawRetention);
      }
    }
  }

  /**
   * What one pass did, for the metrics and the log.
   *
   * @param beyondRetention points of days already rolled up (an agent replaying readings older than
   *     the raw retention): dropped, since a minute sum cannot tell a resend from new usage
   * @param daysWritten day records written (late points into a sealed day, days stored before hour records)
   * @param hoursWritten hour records written
   * @param daysSealed days whose hour records became one day record
   * @param accountDaysWritten account-day records written (rows of open days, instead of their ledgers)
   * @param accountDaysSealed account-day records merged into their month ledgers
   */
  public record Pass(int batches, int points, int added, int duplicates, int rejected, int unowned, int beyondRetention,
      int adjustments, long shrunk, int daysWritten, int ledgersWritten, int monthsClosed, int daysRolledUp, int hoursWritten,
      int daysSealed, int accountDaysWritten, int accountDaysSealed) {}

  private final MeteringStore store;
  private final RunTimeSource runTime;
  private final Settings settings;
  private final DayMaintenance maintenance;
  private final LedgerSeal ledgerSeal;
  private Instant runTimeFoldedAt;

  public UsageAggregator(MeteringStore store, RunTimeSource runTime, Settings settings) {
    this.store = store;
    this.runTime = runTime;
    this.settings = settings;
    this.ledgerSeal = new LedgerSeal(store);
    this.maintenance = new DayMaintenance(store, settings.rawRetention(), ledgerSeal);
  }

  /**
   * Folds {@code batches} (every one is stored by the time this returns; forget them only then) and,
   * when due, instance-seconds and month closes.
   */
  public Pass fold(List<SampleBatchRecord> batches, Instant now) {
    Counts counts = new Counts();
    // Grouped in a hash map, then folded in key order: a sorted map's string comparisons per point
    // were a sixth of a pass.
    Map<DayKey, List<MeteredPoint>> byDay = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (SampleBatchRecord batch : batches) {
      SamplePoints.Parsed parsed = SamplePoints.of(batch.samples());
      counts.rejected += parsed.rejected();
      counts.points += parsed.points().size();
      owners.putAll(batch.ownersOrEmpty());
      for (MeteredPoint p : parsed.points()) {
        byDay.computeIfAbsent(new DayKey(p.instanceId(), p.epochDay()), k -> new ArrayList<>()).add(p);
      }
    }
    PassWrites pass = new PassWrites();
    pass.readAhead(byDay);
    List<DayKey> keys = new ArrayList<>(byDay.keySet());
    keys.sort(null);
    keys.forEach(key -> foldDay(key, byDay.get(key), owners.get(key.instanceId()), pass, counts, now));
    if (runTimeFoldedAt == null || !now.isBefore(runTimeFoldedAt.plus(settings.runTimeEvery()))) {
      foldRunTime(now, pass.ledgers);
      runTimeFoldedAt = now;
    }
    pass.store(now, counts);
    int closed = closeDueMonths(now);
    DayMaintenance.Done maintained = maintenance.runIfDue(now);
    return new Pass(batches.size(), counts.points, counts.added, counts.duplicates, counts.rejected, counts.unowned,
        counts.beyondRetention, counts.adjustments, counts.shrunk, counts.days, counts.ledgers, closed, maintained.rolledUp(),
        counts.hours, maintained.sealed(), counts.accountDays, maintained.accountDaysSealed());
  }

  private void foldDay(DayKey key, List<MeteredPoint> points, String owner, PassWrites pass, Counts counts, Instant now) {
    Optional<MeteredInstance> known = pass.instance(key.instanceId());
    if (known.isPresent() && !known.get().keepsByTheHour(key.day())) {
      foldIntoDayRecord(key, points, owner, known, pass, counts, now);
    } else {
      foldIntoHours(key, points, owner, known, pass, counts, now);
    }
  }

  /**
   * A day kept by the hour: only the hour records the points touch are read and written. The owner
   * is the instance's: when a pass learns it, every unowned hour of the instance's open days is
   * billed in the step before those hours are written as owned (as {@link #foldIntoDayRecord} does
   * for a day), so a holder that dies in between leaves them unowned for the next one to bill.
   */
  private void foldIntoHours(DayKey key, List<MeteredPoint> points, String owner, Optional<MeteredInstance> known, PassWrites pass,
      Counts counts, Instant now) {
    SortedSet<Long> touched = new TreeSet<>();
    points.forEach(p -> touched.add(p.hourStart()));
    List<InstanceHour> stored = new ArrayList<>(touched.size());
    for (long hour : touched) {
      pass.hour(key.instanceId(), hour).ifPresent(stored::add);
    }
    String instanceAccount = known.map(MeteredInstance::accountId).orElse(null);
    String account = instanceAccount != null ? instanceAccount : owner != null ? owner
        : stored.stream().map(InstanceHour::accountId).filter(Objects::nonNull).findFirst().orElse(null);
    // Hours stored unowned that this pass writes owned: billed in the learned step.
    List<InstanceHour> learned = new ArrayList<>();
    if (account != null) {
      stored.stream().filter(h -> h.accountId() == null).forEach(learned::add);
      if (known.isPresent() && instanceAccount == null) {
        learned.addAll(unownedUntouchedHours(known.get(), touched));
      }
    }
    InstanceDay.Merge merge = InstanceDay.ofHours(key.instanceId(), account, key.day(), stored).merge(points, now.getEpochSecond());
    counts.added += merge.added();
    counts.duplicates += merge.duplicates();
    SortedSet<Long> toWrite = new TreeSet<>(merge.hoursChanged());
    learned.forEach(h -> toWrite.add(h.hourStart()));
    for (InstanceHour h : learned) {
      InstanceHour owned = new InstanceHour(h.instanceId(), account, h.hourStart(), h.blocks());
      addTraffic(InstanceDay.ofHours(key.instanceId(), account, h.day(), List.of(owned)), List.of(h.hourStart()), pass.learned);
      if (!touched.contains(h.hourStart())) {
        pass.days.add(owned);
      }
    }
    for (long hour : toWrite) {
      if (touched.contains(hour)) {
        pass.days.add(merge.day().hour(hour));
      }
    }
    if (!toWrite.isEmpty()) {
      counts.hours += toWrite.size();
      MeteredInstance covering = known.map(i -> i.accountId() == null && account != null ? i.withAccount(account) : i)
          .map(i -> i.covering(key.day()))
          .orElseGet(() -> MeteredInstance.firstMeteredOn(key.instanceId(), account, key.day()));
      pass.instanceChanged(covering);
    }
    addTouchedTraffic(key, merge, points.size(), pass, counts);
  }

  /** The instance's hour records not in {@code touched}, of every day it keeps by the hour, that have no owner. */
  private List<InstanceHour> unownedUntouchedHours(MeteredInstance instance, Set<Long> touched) {
    List<InstanceHour> unowned = new ArrayList<>();
    for (LocalDate day = instance.withHoursPinned().hourlyFrom(); !day.isAfter(instance.lastDay()); day = day.plusDays(1)) {
      store.hours(instance.instanceId(), day).stream()
          .filter(h -> h.accountId() == null && !touched.contains(h.hourStart()))
          .forEach(unowned::add);
    }
    return unowned;
  }

  /** A day kept as one record (sealed, or stored before hour records): read, merged and written whole. */
  private void foldIntoDayRecord(DayKey key, List<MeteredPoint> points, String owner, Optional<MeteredInstance> known, PassWrites pass,
      Counts counts, Instant now) {
    InstanceDay stored = store.dayRecord(key.instanceId(), key.day())
        .orElseGet(() -> InstanceDay.empty(key.instanceId(), owner, key.day()));
    if (stored.isRolledUp()) {
      counts.beyondRetention += points.size();
      return;
    }
    // A day first metered while the owner was unknown is billed from the first batch that names it.
    boolean ownerLearned = stored.accountId() == null && owner != null;
    InstanceDay.Merge merge = (ownerLearned ? stored.withAccount(owner) : stored).merge(points, now.getEpochSecond());
    counts.added += merge.added();
    counts.duplicates += merge.duplicates();
    if (ownerLearned) {
      // The hours folded while unowned are billed in a step before the day says it has an owner: a
      // holder that dies in between leaves the day unowned, and the next one bills them again from here.
      addTraffic(merge.day(), merge.day().hoursMetered(), pass.learned);
    }
    if (merge.added() > 0 || ownerLearned) {
      pass.days.add(merge.day());
      counts.days++;
      MeteredInstance covering = known.get();
      if (covering.accountId() == null && owner != null) {
        covering = covering.withAccount(owner);
      }
      pass.instanceChanged(covering.covering(key.day()));
    }
    addTouchedTraffic(key, merge, points.size(), pass, counts);
  }

  /**
   * The ledger rows of every hour the points touched, not only those that gained: a replay must
   * still write the rows a holder that died after storing the series did not.
   */
  private static void addTouchedTraffic(DayKey key, InstanceDay.Merge merge, int points, PassWrites pass, Counts counts) {
    String account = merge.day().accountId();
    if (account == null) {
      counts.unowned += points;
      return;
    }
    for (long hour : merge.hoursTouched()) {
      Instant hourStart = Instant.ofEpochSecond(hour);
      merge.trafficOfTouched().getOrDefault(hour, Map.of()).forEach((type, bytes) ->
          pass.ledgers.add(account, new AccountMonth.Row(key.instanceId(), type, null, hourStart, bytes)));
    }
  }

  private static void addTraffic(InstanceDay day, Iterable<Long> hours, Ledgers ledgers) {
    for (long hour : hours) {
      Instant hourStart = Instant.ofEpochSecond(hour);
      day.trafficOfHour(hour).forEach((type, bytes) ->
          ledgers.add(day.accountId(), new AccountMonth.Row(day.instanceId(), type, null, hourStart, bytes)));
    }
  }

  private void foldRunTime(Instant now, Ledgers ledgers) {
    Instant nowHour = now.truncatedTo(ChronoUnit.HOURS);
    Instant through = store.runTimeFoldedThrough().orElse(nowHour);
    Instant from = (through.isBefore(nowHour) ? through : nowHour).minus(settings.runTimeLookback());
    for (HourlyUsage u : runTime.hours(from, nowHour.plus(HOUR), now)) {
      if (u.type() != UsageType.INSTANCE_SECONDS) {
        throw new IllegalStateException("run time gave " + u.type());
      }
      ledgers.add(u.accountId(), new AccountMonth.Row(u.resourceId(), u.type(), u.instanceType(), u.hourStart(), u.quantity()));
    }
    ledgers.runTimeThrough = nowHour;
  }

  private int closeDueMonths(Instant now) {
    YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
    int closed = 0;
    for (int back = MONTHS_TO_CLOSE_LOOKBACK; back >= 1; back--) {
      YearMonth month = current.minusMonths(back);
      Instant due = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(settings.monthCloseGrace());
      Optional<MonthIndex> index = store.monthIndex(month);
      if (now.isBefore(due) || index.isEmpty() || index.get().closedAt() != null) {
        continue;
      }
      // Every row of the month into its ledgers first (usually done by the hourly seal already):
      // a closed month's rows are its ledgers', and a late row of it becomes an adjustment there.
      ledgerSeal.sealThrough(month.atEndOfMonth(), now);
      for (String account : index.get().accounts()) {
        store.month(account, month).filter(m -> !m.closed()).ifPresent(m -> store.put(m.close(now)));
      }
      store.put(new MonthIndex(month, index.get().accounts(), now));
      closed++;
    }
    return closed;
  }

  /**
   * What a pass writes, in the order it must be durable, one {@link MeteringStore#putAll} per step
   * that has records:
   *
   * <ol>
   *   <li>the month indexes that list an account for the first time: a month is never closed with
   *       a ledger it does not list;
   *   <li>the ledger rows of days and hours whose owner this pass learned, before those records say it;
   *   <li>the hour records, the days and the instance records;
   *   <li>the ledgers and account days, then the run-time cursor (in the same write: it only ever
   *       follows its rows).
   * </ol>
   *
   * A holder that dies between steps leaves its batches unforgotten; the next one folds them again
   * and, every record being an absolute value, writes the same.
   */
  private final class PassWrites {
    final Ledgers learned = new Ledgers();
    final Ledgers ledgers = new Ledgers();
    final MeteringWrites days = new MeteringWrites();
    /** Instance records to write, by id; read back by a later day of the same pass. */
    final Map<String, MeteredInstance> instances = new TreeMap<>();
    /** Instance records as stored (pinned: {@link MeteredInstance#withHoursPinned}), read once a pass. */
    private final Map<String, Optional<MeteredInstance>> stored = new HashMap<>();
    /** The ledgers as this pass leaves them, so that the learned step and the last see one state. */
    private final LedgerWriter.Staging staging = new LedgerWriter.Staging(store);
    /** Hour records read ahead, by instance and hour start; an hour read ahead and absent is not here. */
    private Map<String, Map<Long, InstanceHour>> hoursRead = Map.of();
    /** The hour starts read ahead, by instance: a miss among them is an hour not stored. */
    private final Map<String, Set<Long>> hoursAsked = new HashMap<>();

    /**
     * Reads, in two batch reads, what folding {@code byDay} will ask for: the records of its
     * instances, and the hours its points touch on the days those records keep by the hour (or on
     * any day of an instance never metered). Over the storage role's endpoint each single read is a
     * round trip, and a pass of a few thousand instance-days made that many, one after another.
     */
    void readAhead(Map<DayKey, List<MeteredPoint>> byDay) {
      Set<String> ids = new TreeSet<>();
      byDay.keySet().forEach(key -> ids.add(key.instanceId()));
      Map<String, MeteredInstance> read = store.instances(ids);
      for (String id : ids) {
        stored.put(id, Optional.ofNullable(read.get(id)).map(MeteredInstance::withHoursPinned));
      }
      byDay.forEach((key, points) -> {
        Optional<MeteredInstance> known = stored.get(key.instanceId());
        if (known.isEmpty() || known.get().keepsByTheHour(key.day())) {
          Set<Long> hours = hoursAsked.computeIfAbsent(key.instanceId(), id -> new TreeSet<>());
          points.forEach(p -> hours.add(p.hourStart()));
        }
      });
      hoursRead = store.hours(hoursAsked);
    }

    /** An hour record as stored: from the read ahead when it asked for it, else read now. */
    Optional<InstanceHour> hour(String instanceId, long hourStart) {
      if (hoursAsked.getOrDefault(instanceId, Set.of()).contains(hourStart)) {
        return Optional.ofNullable(hoursRead.getOrDefault(instanceId, Map.of()).get(hourStart));
      }
      return store.hour(instanceId, hourStart);
    }

    /** The instance's record as this pass has it so far; empty for an instance never metered. */
    Optional<MeteredInstance> instance(String instanceId) {
      MeteredInstance changed = instances.get(instanceId);
      return changed != null ? Optional.of(changed)
          : stored.computeIfAbsent(instanceId, id -> store.instance(id).map(MeteredInstance::withHoursPinned));
    }

    /** Writes {@code next} with this pass unless it is the record already stored. */
    void instanceChanged(MeteredInstance next) {
      if (!instance(next.instanceId()).equals(Optional.of(next))) {
        instances.put(next.instanceId(), next);
      }
    }

    void store(Instant now, Counts counts) {
      instances.values().forEach(days::add);
      MeteringWrites learnedMonths = staging.changed(learned.rows, now);
      // A ledger the learned step wrote and the last did not change is already written.
      MeteringWrites lastMonths = staging.changed(ledgers.rows, now);
      LedgerWriter.Written written = staging.written();
      counts.adjustments += written.adjustments();
      counts.shrunk += written.shrunk();
      counts.ledgers += written.ledgers();
      counts.accountDays += written.accountDays();
      writeIfAny(staging.listings());
      writeIfAny(learnedMonths);
      writeIfAny(days);
      if (ledgers.runTimeThrough != null) {
        lastMonths.runTimeFoldedThrough(ledgers.runTimeThrough);
      }
      writeIfAny(lastMonths);
    }

    private void writeIfAny(MeteringWrites writes) {
      if (!writes.isEmpty()) {
        store.putAll(writes);
      }
    }
  }

  /** The rows of a pass, gathered per account and month. */
  private static final class Ledgers {
    private final LedgerWriter.Rows rows = new LedgerWriter.Rows();
    private Instant runTimeThrough;

    void add(String account, AccountMonth.Row row) {
      rows.add(account, row);
    }
  }

  private static final class Counts {
    int points;
    int added;
    int duplicates;
    int rejected;
    int unowned;
    int beyondRetention;
    int adjustments;
    long shrunk;
    int days;
    int hours;
    int ledgers;
    int accountDays;
  }

  private record DayKey(String instanceId, long epochDay) implements Comparable<DayKey> {
    LocalDate day() {
      return LocalDate.ofEpochDay(epochDay);
    }

    @Override
    public int compareTo(DayKey o) {
      int byInstance = instanceId.compareTo(o.instanceId);
      return byInstance != 0 ? byInstance : Long.compare(epochDay, o.epochDay);
    }
  }
}
