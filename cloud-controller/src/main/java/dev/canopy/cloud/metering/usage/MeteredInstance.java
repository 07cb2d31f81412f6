package dev.canopy.cloud.metering.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What the store knows of an instance's metering, kept after the instance is gone: its account
 * (who may read its series), the days that have a record, so a range query reads only those, and
 * how each day is kept.
 *
 * <p>A day before {@code hourlyFrom} is one {@link InstanceDay} record (a day sealed once it was
 * over, a day rolled up, or any day stored before hour records existed); a day from {@code
 * hourlyFrom} on is kept as {@link InstanceHour} records, one per hour, until it is sealed.
 *
 * @param rolledUpThrough the last day whose record is rolled up to minutes; null when none is
 * @param hourlyFrom the first day kept by the hour; null in a record written before hour records
 *     existed, whose days through {@code lastDay} are all day records ({@link #withHoursPinned})
 */
public record MeteredInstance(String instanceId, String accountId, LocalDate firstDay, LocalDate lastDay, LocalDate rolledUpThrough,
    LocalDate hourlyFrom) {

  public MeteredInstance {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(firstDay, "firstDay");
    Objects.requireNonNull(lastDay, "lastDay");
  }

  /** An instance none of whose days is rolled up, every day a day record (as stored before hour records). */
  public MeteredInstance(String instanceId, String accountId, LocalDate firstDay, LocalDate lastDay) {
    this(instanceId, accountId, firstDay, lastDay, null, null);
  }

  /** A new instance, first metered on {@code day}, which is kept by the hour. */
  public static MeteredInstance firstMeteredOn(String instanceId, String accountId, LocalDate day) {
    return new MeteredInstance(instanceId, accountId, day, day, null, day);
  }

  /** This record owned by {@code account} (first metered while the owner was not known). */
  public MeteredInstance withAccount(String account) {
    return new MeteredInstance(instanceId, account, firstDay, lastDay, rolledUpThrough, hourlyFrom);
  }

  /** This record with its days through {@code day} rolled up. */
  public MeteredInstance rolledUpThrough(LocalDate day) {
    return new MeteredInstance(instanceId, accountId, firstDay, lastDay, day, hourlyFrom);
  }

  /** This record with the days before {@code day} kept as day records (sealed). */
  public MeteredInstance withHourlyFrom(LocalDate day) {
    return new MeteredInstance(instanceId, accountId, firstDay, lastDay, rolledUpThrough, day);
  }

  /**
   * This record with {@code hourlyFrom} set: a record written before hour records existed keeps
   * its days as day records and takes new days by the hour, from the day after its last.
   */
  public MeteredInstance withHoursPinned() {
    return hourlyFrom != null ? this : withHourlyFrom(lastDay.plusDays(1));
  }

  /** Whether {@code day} is kept as hour records (not sealed yet), or else as one day record. */
  public boolean keepsByTheHour(LocalDate day) {
    return !day.isBefore(withHoursPinned().hourlyFrom());
  }

  /** This record stretched to cover {@code day}, or itself when it already does. */
  public MeteredInstance covering(LocalDate day) {
    if (!day.isBefore(firstDay) && !day.isAfter(lastDay)) {
      return this;
    }
    return new MeteredInstance(instanceId, accountId, day.isBefore(firstDay) ? day : firstDay, day.isAfter(lastDay) ? day : lastDay,
        rolledUpThrough, hourlyFrom);
  }
}
