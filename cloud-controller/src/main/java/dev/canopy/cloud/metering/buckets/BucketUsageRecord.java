package dev.canopy.cloud.metering.buckets;

import dev.canopy.storage.usage.BucketUsage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One storage node life's absolute bucket counts of one UTC hour, as last pushed: the value of
 * grid map {@value BucketUsagePushes#MAP} under {@code hourEpochSeconds/incarnation}. A later push
 * of the same hour and life replaces it; two lives of a node are two records, which add up.
 *
 * @param receivedAt when this controller stored the push (a push long after its hour is reported as late)
 */
public record BucketUsageRecord(String incarnation, Instant hour, Instant receivedAt, List<BucketUsage> usage) {

  public BucketUsageRecord {
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(hour, "hour");
    Objects.requireNonNull(receivedAt, "receivedAt");
    usage = List.copyOf(usage);
  }

  /** The grid key: the hour first, so a node's lives and hours never collide. */
  public static String key(Instant hour, String incarnation) {
    return hour.getEpochSecond() + "/" + incarnation;
  }
}
