package dev.canopy.cloud.instancehours;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.tags.TagStore;
import java.time.Instant;
import java.util.List;

/**
 * What the usage aggregator asks on each pass: every account's instance-seconds in a range of
 * hours, from the stored run times, tagged with each instance's tags as they are now (kept after
 * the instance is purged until someone removes them; empty otherwise). Only reads.
 */
public final class InstanceHours {

  private final RunTimes runTimes;
  private final TagStore tags;

  public InstanceHours(RunTimes runTimes, TagStore tags) {
    this.runTimes = runTimes;
    this.tags = tags;
  }

  /**
   * The absolute instance-seconds of each instance, instance type and hour in {@code
   * [fromHourInclusive, toHourExclusive)}, counting a running instance up to {@code now}: the same
   * range asked again later gives the same rows, grown only where instances ran meanwhile.
   */
  public List<HourlyUsage> hours(Instant fromHourInclusive, Instant toHourExclusive, Instant now) {
    return InstanceSeconds.hours(runTimes.all(), fromHourInclusive, toHourExclusive, now, tags::tagsOf);
  }
}
