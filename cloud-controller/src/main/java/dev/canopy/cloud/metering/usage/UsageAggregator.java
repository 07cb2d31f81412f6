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
import java.util.TreeMap;

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

  private static final Duration ROLL_UP_EVERY = Duration.ofHours(1);

  /**
   * What one pass did, for the metrics and the log.
   *
   * @param beyondRetention points of days already rolled up (an agent replaying readings older than
   *     the raw retention): dropped, since a minute sum cannot tell a resend from new usage
   */
  public record Pass(int batches, int points, int added, int duplicates, int rejected, int unowned, int beyondRetention,
      int adjustments, long shrunk, int daysWritten, int ledgersWritten, int monthsClosed, int daysRolledUp) {}

  private final MeteringStore store;
  private final RunTimeSource runTime;
  private final Settings settings;
  private Instant runTimeFoldedAt;
  private Instant rolledUpAt;

  public UsageAggregator(MeteringStore store, RunTimeSource runTime, Settings settings) {
    this.store = store;
    this.runTime = runTime;
    this.settings = settings;
  }

  /**
   * Folds {@code batches} (every one is stored by the time this returns; forget them only then) and,
   * when due, instance-seconds and month closes.
   */
  public Pass fold(List<SampleBatchRecord> batches, Instant now) {
    Counts counts = new Counts();
    Map<DayKey, List<MeteredPoint>> byDay = new TreeMap<>();
    Map<String, String> owners = new HashMap<>();
    for (SampleBatchRecord batch : batches) {
      SamplePoints.Parsed parsed = SamplePoints.of(batch.samples());
      counts.rejected += parsed.rejected();
      counts.points += parsed.points().size();
      owners.putAll(batch.ownersOrEmpty());
      for (MeteredPoint p : parsed.points()) {
        byDay.computeIfAbsent(new DayKey(p.instanceId(), p.day()), k -> new ArrayList<>()).add(p);
      }
    }
    PassWrites pass = new PassWrites();
    byDay.forEach((key, points) -> foldDay(key, points, owners.get(key.instanceId()), pass, counts, now));
    if (runTimeFoldedAt == null || !now.isBefore(runTimeFoldedAt.plus(settings.runTimeEvery()))) {
      foldRunTime(now, pass.ledgers);
      runTimeFoldedAt = now;
    }
    pass.store(now, counts);
    int closed = closeDueMonths(now);
    int rolledUp = 0;
    if (rolledUpAt == null || !now.isBefore(rolledUpAt.plus(ROLL_UP_EVERY))) {
      rolledUp = rollUpExpiredDays(now);
      rolledUpAt = now;
    }
    return new Pass(batches.size(), counts.points, counts.added, counts.duplicates, counts.rejected, counts.unowned,
        counts.beyondRetention, counts.adjustments, counts.shrunk, counts.days, counts.ledgers, closed, rolledUp);
  }

  /** Rolls up every instance-day past the raw retention not rolled up yet; the instance records say where each stands. */
  private int rollUpExpiredDays(Instant now) {
    LocalDate lastToRollUp = LocalDate.ofInstant(now.minus(settings.rawRetention()), ZoneOffset.UTC).minusDays(1);
    int rolled = 0;
    for (MeteredInstance instance : store.instances()) {
      LocalDate from = instance.rolledUpThrough() == null ? instance.firstDay() : instance.rolledUpThrough().plusDays(1);
      LocalDate to = instance.lastDay().isBefore(lastToRollUp) ? instance.lastDay() : lastToRollUp;
      if (from.isAfter(to)) {
        continue;
      }
      for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
        Optional<InstanceDay> raw = store.day(instance.instanceId(), day).filter(d -> !d.isRolledUp());
        if (raw.isPresent()) {
          store.put(raw.get().rolledUp());
          rolled++;
        }
      }
      store.put(instance.rolledUpThrough(to));
    }
    return rolled;
  }

  private void foldDay(DayKey key, List<MeteredPoint> points, String owner, PassWrites pass, Counts counts, Instant now) {
    InstanceDay stored = store.day(key.instanceId(), key.day())
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
      // An instance may have two days in one pass (around midnight): the second sees the first's record.
      Optional<MeteredInstance> known = Optional.ofNullable(pass.instances.get(key.instanceId()))
          .or(() -> store.instance(key.instanceId()));
      MeteredInstance covering = known.map(i -> i.accountId() == null && owner != null ? i.withAccount(owner) : i)
          .map(i -> i.covering(key.day()))
          .orElseGet(() -> new MeteredInstance(key.instanceId(), merge.day().accountId(), key.day(), key.day()));
      if (known.isEmpty() || !known.get().equals(covering)) {
        pass.instances.put(key.instanceId(), covering);
      }
    }
    if (merge.day().accountId() == null) {
      counts.unowned += points.size();
      return;
    }
    // Every hour the points touched, not only those that gained: a replay must still write the
    // ledger rows a holder that died after storing the day did not.
    String account = merge.day().accountId();
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
   *   <li>the ledger rows of days whose owner this pass learned, before those days record it;
   *   <li>the days and the instance records;
   *   <li>the ledgers, then the run-time cursor (in the same write: it only ever follows its rows).
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
    /** The ledgers as this pass leaves them, so that the learned step and the last see one state. */
    private final LedgerWriter.Staging staging = new LedgerWriter.Staging(store);

    void store(Instant now, Counts counts) {
      instances.values().forEach(days::add);
      MeteringWrites learnedMonths = staging.changed(learned.rows, now);
      // A ledger the learned step wrote and the last did not change is already written.
      MeteringWrites lastMonths = staging.changed(ledgers.rows, now);
      LedgerWriter.Written written = staging.written();
      counts.adjustments += written.adjustments();
      counts.shrunk += written.shrunk();
      counts.ledgers += written.ledgers();
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
    int ledgers;
  }

  private record DayKey(String instanceId, LocalDate day) implements Comparable<DayKey> {
    @Override
    public int compareTo(DayKey o) {
      int byInstance = instanceId.compareTo(o.instanceId);
      return byInstance != 0 ? byInstance : day.compareTo(o.day);
    }
  }
}
