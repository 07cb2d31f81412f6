package dev.canopy.storage.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counter and its absolute pushes: a resend is harmless, two lives add up, an hour leaves only when final. */
class BucketUsageMeterTest {

  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");
  private static final Instant ELEVEN = Instant.parse("2026-12-06T11:00:00Z");

  /** A directory in miniature: each push replaces its (incarnation, hour) record; the fold adds the records. */
  private static final class Controllers implements UsageSink {
    final Map<String, List<BucketUsage>> records = new HashMap<>();
    boolean down;
    int pushes;

    @Override
    public void push(String incarnation, Instant hour, List<BucketUsage> usage) {
      if (down) {
        throw new IllegalStateException("no controller answered");
      }
      pushes++;
      records.put(hour.getEpochSecond() + "/" + incarnation, List.copyOf(usage));
    }

    long tier1(String bucket, Instant hour) {
      return records.entrySet().stream().filter(e -> e.getKey().startsWith(hour.getEpochSecond() + "/"))
          .flatMap(e -> e.getValue().stream()).filter(u -> u.bucket().equals(bucket)).mapToLong(BucketUsage::tier1).sum();
    }

    long bytesOut(String bucket, Instant hour) {
      return records.entrySet().stream().filter(e -> e.getKey().startsWith(hour.getEpochSecond() + "/"))
          .flatMap(e -> e.getValue().stream()).filter(u -> u.bucket().equals(bucket)).mapToLong(BucketUsage::bytesOut).sum();
    }
  }

  private static final class Clock implements java.time.InstantSource {
    Instant now = TEN.plusSeconds(60);

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void countsPerOwnerBucketAndHour() {
    BucketUsageMeter meter = new BucketUsageMeter();
    meter.record("111111111111", "photos", true, false, 0, TEN.plusSeconds(1));
    meter.record("111111111111", "photos", false, true, 500, TEN.plusSeconds(2));
    meter.record("222222222222", "logs", false, true, 0, TEN.plusSeconds(3));
    meter.record("111111111111", "photos", true, false, 0, ELEVEN.plusSeconds(1));

    List<BucketUsageMeter.HourTotals> hours = meter.snapshot(ELEVEN.plusSeconds(5));
    assertThat(hours).extracting(BucketUsageMeter.HourTotals::hour).containsExactly(TEN, ELEVEN);
    assertThat(hours.get(0).usage()).containsExactly(
        new BucketUsage("111111111111", "photos", 1, 1, 500),
        new BucketUsage("222222222222", "logs", 0, 1, 0));
    assertThat(hours.get(0).ended()).isTrue();
    assertThat(hours.get(1).ended()).isFalse();
  }

  @Test
  void aResendChangesNothingAndAnOpenHourStaysUntilPushedAfterItsEnd() {
    BucketUsageMeter meter = new BucketUsageMeter();
    Controllers controllers = new Controllers();
    Clock clock = new Clock();
    UsagePusher pusher = new UsagePusher(meter, controllers, "st-1-1000", clock);
    meter.record("111111111111", "photos", true, false, 0, clock.now);
    pusher.pushOnce();
    pusher.pushOnce(); // a resend, e.g. after a lost answer: the same absolute record
    assertThat(controllers.tier1("photos", TEN)).isEqualTo(1);
    assertThat(meter.hoursHeld()).as("the hour is still open").isEqualTo(1);

    meter.record("111111111111", "photos", true, false, 0, clock.now.plusSeconds(10));
    clock.now = ELEVEN.plusSeconds(2); // the hour ended; the next push of it is final
    controllers.down = true;
    pusher.pushOnce();
    assertThat(meter.hoursHeld()).as("kept: no push after its end succeeded").isEqualTo(1);
    controllers.down = false;
    pusher.pushOnce();
    assertThat(controllers.tier1("photos", TEN)).isEqualTo(2);
    assertThat(meter.hoursHeld()).as("dropped once pushed after its end").isZero();
    int pushes = controllers.pushes;
    pusher.pushOnce();
    assertThat(controllers.pushes).as("nothing held, nothing sent").isEqualTo(pushes);
  }

  @Test
  void aRequestCountedAfterTheFinalSnapshotKeepsTheHour() {
    BucketUsageMeter meter = new BucketUsageMeter();
    meter.record("111111111111", "photos", true, false, 0, TEN.plusSeconds(1));
    BucketUsageMeter.HourTotals snapshot = meter.snapshot(ELEVEN).get(0);
    meter.record("111111111111", "photos", true, false, 0, TEN.plusSeconds(3599)); // ended just before, counted just after
    meter.pushed(snapshot);
    assertThat(meter.hoursHeld()).isEqualTo(1);
    assertThat(meter.snapshot(ELEVEN).get(0).usage().get(0).tier1()).isEqualTo(2);
  }

  @Test
  void twoLivesOfANodeAddUp() {
    Controllers controllers = new Controllers();
    Clock clock = new Clock();
    BucketUsageMeter before = new BucketUsageMeter();
    new UsagePusher(before, controllers, "st-1-1000", clock).pushOnce();
    before.record("111111111111", "photos", false, true, 300, clock.now);
    new UsagePusher(before, controllers, "st-1-1000", clock).pushOnce();
    // Restarted in the same hour: counts from zero, under a new incarnation.
    BucketUsageMeter after = new BucketUsageMeter();
    after.record("111111111111", "photos", false, true, 200, clock.now.plusSeconds(30));
    new UsagePusher(after, controllers, "st-1-2000", clock).pushOnce();
    assertThat(controllers.bytesOut("photos", TEN)).isEqualTo(500);
  }

  @Test
  void anHourCountsAtMostSoManyBuckets() {
    BucketUsageMeter meter = new BucketUsageMeter();
    for (int i = 0; i < BucketUsageMeter.BUCKETS_PER_HOUR_MAX + 3; i++) {
      meter.record("111111111111", "b" + i, true, false, 0, TEN);
    }
    meter.record("111111111111", "b0", true, false, 0, TEN);
    List<BucketUsage> usage = new ArrayList<>(meter.snapshot(TEN).get(0).usage());
    assertThat(usage).hasSize(BucketUsageMeter.BUCKETS_PER_HOUR_MAX);
    assertThat(meter.overflowed()).isEqualTo(3);
    assertThat(usage.stream().filter(u -> u.bucket().equals("b0")).findFirst().orElseThrow().tier1()).isEqualTo(2);
  }
}
