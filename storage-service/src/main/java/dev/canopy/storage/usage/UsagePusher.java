package dev.canopy.storage.usage;

import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a node's counts to the controllers: every hour still held, as absolute totals, under this
 * life of the node ({@code incarnation}, e.g. {@code storageNodeId-startMillis}). A restarted node
 * counts its current hour from zero under a new incarnation, so it never overwrites what its
 * earlier life pushed: the controllers add the two. A failed push leaves the hour for the next
 * run. Blocking: run it on a worker.
 */
public final class UsagePusher {

  private static final Logger LOG = LoggerFactory.getLogger(UsagePusher.class);

  private final BucketUsageMeter meter;
  private final UsageSink sink;
  private final String incarnation;
  private final InstantSource clock;

  public UsagePusher(BucketUsageMeter meter, UsageSink sink, String incarnation, InstantSource clock) {
    this.meter = meter;
    this.sink = sink;
    this.incarnation = incarnation;
    this.clock = clock;
  }

  public String incarnation() {
    return incarnation;
  }

  /**
   * One round; returns the hours pushed. A failure stops the round (the controllers are likely all
   * away; the directory client logs that once per outage) and leaves the rest for the next.
   */
  public int pushOnce() {
    int pushed = 0;
    for (BucketUsageMeter.HourTotals totals : meter.snapshot(clock.instant())) {
      if (totals.usage().isEmpty()) {
        meter.pushed(totals);
        continue;
      }
      try {
        sink.push(incarnation, totals.hour(), totals.usage());
      } catch (RuntimeException e) {
        LOG.debug("bucket usage of {} not pushed yet: {}", totals.hour(), e.toString());
        return pushed;
      }
      meter.pushed(totals);
      pushed++;
    }
    return pushed;
  }
}
