package dev.canopy.cloud.metering.usage;

import dev.canopy.cloud.metering.series.Metric;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * One instance's blocks of one UTC hour: how the hours of a day not sealed yet are kept, so that a
 * fold pass reads and writes only the hours its points touch instead of the whole day. A day is
 * sealed into one {@link InstanceDay} record a while after it ended ({@link MeteredInstance#hourlyFrom}).
 *
 * @param accountId as {@link InstanceDay#accountId}: null while the instance's owner is unknown
 * @param hourStart the hour's first second (UTC epoch); its points are stamped in {@code (hourStart, hourStart + 3600]}
 * @param blocks one per series, in the day's series order
 */
public record InstanceHour(String instanceId, String accountId, long hourStart, List<Block> blocks) {

  public InstanceHour {
    Objects.requireNonNull(instanceId, "instanceId");
    if (Math.floorMod(hourStart, 3_600L) != 0) {
      throw new IllegalArgumentException(hourStart + " is not the start of an hour");
    }
    blocks = List.copyOf(blocks);
  }

  /** A series' block of the hour (the series codec's bytes); {@code nic} is null for CPU time. */
  public record Block(String nic, Metric metric, byte[] bytes) {
    public Block {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** The UTC day the hour belongs to. */
  public LocalDate day() {
    return dayOf(hourStart);
  }

  static LocalDate dayOf(long hourStart) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(hourStart), ZoneOffset.UTC);
  }
}
