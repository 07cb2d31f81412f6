package dev.canopy.cloud.metering.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records the aggregator writes together ({@link MeteringStore#putAll}): durable all at once where
 * the store can (one synced write), so that a pass pays one write per ordering step instead of one
 * per record. Not thread-safe.
 */
public final class MeteringWrites {

  private final List<InstanceDay> days = new ArrayList<>();
  private final List<InstanceHour> hours = new ArrayList<>();
  private final List<AccountMonth> months = new ArrayList<>();
  private final List<AccountDay> accountDays = new ArrayList<>();
  private final List<MeteredInstance> instances = new ArrayList<>();
  private final List<MonthIndex> indexes = new ArrayList<>();
  private Instant runTimeFoldedThrough;

  public MeteringWrites add(InstanceDay day) {
    days.add(day);
    return this;
  }

  public MeteringWrites add(InstanceHour hour) {
    hours.add(hour);
    return this;
  }

  public MeteringWrites add(AccountMonth month) {
    months.add(month);
    return this;
  }

  public MeteringWrites add(AccountDay day) {
    accountDays.add(day);
    return this;
  }

  public MeteringWrites add(MeteredInstance instance) {
    instances.add(instance);
    return this;
  }

  public MeteringWrites add(MonthIndex index) {
    indexes.add(index);
    return this;
  }

  public MeteringWrites runTimeFoldedThrough(Instant hour) {
    runTimeFoldedThrough = hour;
    return this;
  }

  public List<InstanceDay> days() {
    return Collections.unmodifiableList(days);
  }

  public List<InstanceHour> hours() {
    return Collections.unmodifiableList(hours);
  }

  public List<AccountMonth> months() {
    return Collections.unmodifiableList(months);
  }

  public List<AccountDay> accountDays() {
    return Collections.unmodifiableList(accountDays);
  }

  public List<MeteredInstance> instances() {
    return Collections.unmodifiableList(instances);
  }

  public List<MonthIndex> indexes() {
    return Collections.unmodifiableList(indexes);
  }

  /** Null when this batch does not move the run-time cursor. */
  public Instant runTimeFoldedThrough() {
    return runTimeFoldedThrough;
  }

  public boolean isEmpty() {
    return days.isEmpty() && hours.isEmpty() && months.isEmpty() && accountDays.isEmpty() && instances.isEmpty() && indexes.isEmpty() && runTimeFoldedThrough == null;
  }
}
