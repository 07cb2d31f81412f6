package dev.canopy.cloud.metering.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What the store knows of an instance's metering, kept after the instance is gone: its account
 * (who may read its series) and the days that have a record, so a range query reads only those.
 *
 * @param rolledUpThrough the last day whose record is rolled up to minutes; null when none is
 */
public record MeteredInstance(String instanceId, String accountId, LocalDate firstDay, LocalDate lastDay, LocalDate rolledUpThrough) {

  public MeteredInstance {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(firstDay, "firstDay");
    Objects.requireNonNull(lastDay, "lastDay");
  }

  /** An instance none of whose days is rolled up. */
  public MeteredInstance(String instanceId, String accountId, LocalDate firstDay, LocalDate lastDay) {
    this(instanceId, accountId, firstDay, lastDay, null);
  }

  /** This record owned by {@code account} (first metered while the owner was not known). */
  public MeteredInstance withAccount(String account) {
    return new MeteredInstance(instanceId, account, firstDay, lastDay, rolledUpThrough);
  }

  /** This record with its days through {@code day} rolled up. */
  public MeteredInstance rolledUpThrough(LocalDate day) {
    return new MeteredInstance(instanceId, accountId, firstDay, lastDay, day);
  }

  /** This record stretched to cover {@code day}, or itself when it already does. */
  public MeteredInstance covering(LocalDate day) {
    if (!day.isBefore(firstDay) && !day.isAfter(lastDay)) {
      return this;
    }
    return new MeteredInstance(instanceId, accountId, day.isBefore(firstDay) ? day : firstDay, day.isAfter(lastDay) ? day : lastDay,
        rolledUpThrough);
  }
}
