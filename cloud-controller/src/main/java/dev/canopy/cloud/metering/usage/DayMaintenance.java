package dev.canopy.cloud.metering.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the aggregator does to instance days once an hour, after a pass's own writes: it seals the
 * days that are over (their hour records become one day record, so a month's graph reads about 30
 * records, not 720), rolls up the days past the raw retention to per-minute sums, and seals the
 * account days that are over into their month ledgers ({@link LedgerSeal}). The instance records
 * say where each instance stands, so nothing lists the store's days.
 */
final class DayMaintenance {

  /**
   * How long after its end a day stays kept by the hour: a node's queue replayed within a day of an
   * outage still lands in hour records. Points arriving later land in the day record, which a pass
   * then reads and writes whole (as every pass did before hour records).
   */
  static final Duration SEAL_AFTER = Duration.ofDays(1);
  private static final Duration EVERY = Duration.ofHours(1);
  /** Instances sealed per group of writes: bounds one write's size (a day record is up to ~100 kB). */
  private static final int INSTANCES_PER_WRITE_MAX = 64;

  /** What one run did. */
  record Done(int sealed, int rolledUp, int accountDaysSealed) {
    static final Done NOTHING = new Done(0, 0, 0);
  }

  private final MeteringStore store;
  private final Duration rawRetention;
  private final LedgerSeal ledgerSeal;
  private Instant ranAt;

  DayMaintenance(MeteringStore store, Duration rawRetention, LedgerSeal ledgerSeal) {
    this.store = store;
    this.rawRetention = rawRetention;
    this.ledgerSeal = ledgerSeal;
  }

  /** Runs at the first call and then once an hour. */
  Done runIfDue(Instant now) {
    if (ranAt != null && now.isBefore(ranAt.plus(EVERY))) {
      return Done.NOTHING;
    }
    ranAt = now;
    // Sealing first: a day past the retention is rolled up from its day record.
    int sealed = sealEndedDays(now);
    int rolledUp = rollUpExpiredDays(now);
    // Account days on the same horizon as instance hours: a replay within a day still lands in day records.
    return new Done(sealed, rolledUp, ledgerSeal.sealThrough(lastToSeal(now), now));
  }

  /**
   * Every day kept by the hour that ended {@link #SEAL_AFTER} ago becomes one day record, in three
   * steps per group of instances: the day records; then the instance records saying those days are
   * day records from now on (a late point then merges into the day record); then the hour records
   * are deleted. A holder that dies before the second step leaves the days kept by the hour, and the
   * next seals them again from the same hours; one that dies before the third leaves hour records
   * nothing reads, which the roll-up deletes.
   */
  /** The last day that ended {@link #SEAL_AFTER} ago. */
  static LocalDate lastToSeal(Instant now) {
    return LocalDate.ofInstant(now.minus(SEAL_AFTER), ZoneOffset.UTC).minusDays(1);
  }

  private int sealEndedDays(Instant now) {
    LocalDate lastToSeal = lastToSeal(now);
    int sealed = 0;
    Group group = new Group();
    for (MeteredInstance stored : store.instances()) {
      MeteredInstance instance = stored.withHoursPinned();
      LocalDate to = instance.lastDay().isBefore(lastToSeal) ? instance.lastDay() : lastToSeal;
      if (instance.hourlyFrom().isAfter(to)) {
        continue;
      }
      for (LocalDate day = instance.hourlyFrom(); !day.isAfter(to); day = day.plusDays(1)) {
        List<InstanceHour> hours = store.hours(instance.instanceId(), day);
        Optional<InstanceDay> whole = InstanceDay.ofHours(instance.instanceId(), day, hours);
        if (whole.isPresent()) {
          group.days.add(whole.get().sealed());
          group.hours.computeIfAbsent(instance.instanceId(), k -> new ArrayList<>())
              .addAll(hours.stream().map(InstanceHour::hourStart).toList());
          sealed++;
        }
      }
      group.instances.add(instance.withHourlyFrom(to.plusDays(1)));
      if (group.instances.instances().size() >= INSTANCES_PER_WRITE_MAX) {
        group.write();
        group = new Group();
      }
    }
    group.write();
    return sealed;
  }

  /** One group of instances' seal writes, in their order. */
  private final class Group {
    final MeteringWrites days = new MeteringWrites();
    final MeteringWrites instances = new MeteringWrites();
    final Map<String, List<Long>> hours = new TreeMap<>();

    void write() {
      if (!days.isEmpty()) {
        store.putAll(days);
      }
      if (!instances.isEmpty()) {
        store.putAll(instances);
      }
      hours.forEach(store::deleteHours);
    }
  }

  /**
   * Rolls up every day record past the raw retention not rolled up yet, and deletes any hour record
   * of it a seal left behind.
   */
  private int rollUpExpiredDays(Instant now) {
    LocalDate lastToRollUp = LocalDate.ofInstant(now.minus(rawRetention), ZoneOffset.UTC).minusDays(1);
    int rolled = 0;
    for (MeteredInstance stored : store.instances()) {
      MeteredInstance instance = stored.withHoursPinned();
      LocalDate from = instance.rolledUpThrough() == null ? instance.firstDay() : instance.rolledUpThrough().plusDays(1);
      LocalDate to = instance.lastDay().isBefore(lastToRollUp) ? instance.lastDay() : lastToRollUp;
      // Only day records roll up: a day still kept by the hour waits for its seal.
      LocalDate lastRecord = instance.hourlyFrom().minusDays(1);
      to = to.isAfter(lastRecord) ? lastRecord : to;
      if (from.isAfter(to)) {
        continue;
      }
      for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
        Optional<InstanceDay> raw = store.dayRecord(instance.instanceId(), day).filter(d -> !d.isRolledUp());
        if (raw.isPresent()) {
          store.put(raw.get().rolledUp());
          store.deleteHours(instance.instanceId(), raw.get().hoursMetered());
          rolled++;
        }
      }
      store.put(stored.rolledUpThrough(to));
    }
    return rolled;
  }
}
