package dev.canopy.cloud.instancehours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Run intervals split into instance-seconds per UTC hour, exactly. */
class InstanceSecondsTest {

  private static final String ALICE = "111111111111";
  private static final String BOB = "222222222222";
  private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");

  private static Instant at(String time) {
    return Instant.parse("2026-03-10T" + time + "Z");
  }

  private static RunInterval micro(String from, String to) {
    return new RunInterval("t3.micro", at(from), to == null ? null : at(to));
  }

  private static RunTime ran(String instanceId, RunInterval... intervals) {
    return new RunTime(instanceId, ALICE, List.of(intervals));
  }

  private static List<HourlyUsage> day(List<RunTime> runTimes, Instant now) {
    return InstanceSeconds.hours(runTimes, DAY, DAY.plus(Duration.ofDays(1)), now, (account, id) -> Map.of());
  }

  private static HourlyUsage row(String instanceId, String type, String hour, long seconds) {
    return new HourlyUsage(ALICE, instanceId, UsageType.INSTANCE_SECONDS, type, at(hour), seconds, Map.of());
  }

  @Test
  void anIntervalIsSplitExactlyAtHourBoundaries() {
    assertThat(day(List.of(ran("i-1", micro("10:59:30", "12:00:10"))), at("23:00:00"))).containsExactly(
        row("i-1", "t3.micro", "10:00:00", 30),
        row("i-1", "t3.micro", "11:00:00", 3600),
        row("i-1", "t3.micro", "12:00:00", 10));
  }

  @Test
  void anIntervalEndingOnTheHourGivesNoRowForTheNextHour() {
    assertThat(day(List.of(ran("i-1", micro("09:00:00", "10:00:00"))), at("23:00:00")))
        .containsExactly(row("i-1", "t3.micro", "09:00:00", 3600));
  }

  @Test
  void severalIntervalsInOneHourAddUpAndAnotherTypeIsAnotherRow() {
    RunTime resized = ran("i-1", micro("10:00:00", "10:10:00"), micro("10:20:00", "10:25:00"),
        new RunInterval("t3.small", at("10:40:00"), at("11:00:05")));
    assertThat(day(List.of(resized), at("23:00:00"))).containsExactly(
        row("i-1", "t3.micro", "10:00:00", 900),
        row("i-1", "t3.small", "10:00:00", 1200),
        row("i-1", "t3.small", "11:00:00", 5));
  }

  @Test
  void anOpenIntervalCountsUpToNowAndNotBeyond() {
    List<RunTime> running = List.of(ran("i-1", micro("10:30:00", null)));
    assertThat(day(running, at("12:15:42.9"))).containsExactly(
        row("i-1", "t3.micro", "10:00:00", 1800),
        row("i-1", "t3.micro", "11:00:00", 3600),
        row("i-1", "t3.micro", "12:00:00", 942));
    assertThat(day(running, at("10:30:00.5"))).as("nothing yet: not a whole second").isEmpty();
    assertThat(day(running, at("09:00:00"))).as("now before it started").isEmpty();
  }

  @Test
  void edgesCountToTheWholeSecondAndAnHourWithNoSecondGivesNoRow() {
    assertThat(day(List.of(ran("i-1", micro("10:00:00.200", "10:00:00.900"), micro("10:00:01.999", "10:00:04.001"))), at("23:00:00")))
        .containsExactly(row("i-1", "t3.micro", "10:00:00", 3));
  }

  @Test
  void onlyTheAskedHoursAreCounted() {
    List<RunTime> runTimes = List.of(ran("i-1", micro("08:30:00", "12:30:00")));
    assertThat(InstanceSeconds.hours(runTimes, at("10:00:00"), at("12:00:00"), at("23:00:00"), (a, i) -> Map.of()))
        .containsExactly(row("i-1", "t3.micro", "10:00:00", 3600), row("i-1", "t3.micro", "11:00:00", 3600));
    assertThat(InstanceSeconds.hours(runTimes, at("10:00:00"), at("10:00:00"), at("23:00:00"), (a, i) -> Map.of())).isEmpty();
  }

  @Test
  void anIntervalAcrossAMonthBoundaryFallsIntoBothMonths() {
    RunTime overMidnight = new RunTime("i-1", ALICE,
        List.of(new RunInterval("m5.large", Instant.parse("2026-01-31T23:30:00Z"), Instant.parse("2026-02-01T00:45:00Z"))));
    Instant january = Instant.parse("2026-01-01T00:00:00Z");
    Instant february = Instant.parse("2026-02-01T00:00:00Z");
    Instant march = Instant.parse("2026-03-01T00:00:00Z");
    assertThat(InstanceSeconds.hours(List.of(overMidnight), january, february, march, (a, i) -> Map.of())).containsExactly(
        new HourlyUsage(ALICE, "i-1", UsageType.INSTANCE_SECONDS, "m5.large", Instant.parse("2026-01-31T23:00:00Z"), 1800, Map.of()));
    assertThat(InstanceSeconds.hours(List.of(overMidnight), february, march, march, (a, i) -> Map.of())).containsExactly(
        new HourlyUsage(ALICE, "i-1", UsageType.INSTANCE_SECONDS, "m5.large", february, 2700, Map.of()));
  }

  @Test
  void rowsCarryEachInstancesTagsAndItsAccount() {
    List<RunTime> runTimes = List.of(ran("i-1", micro("10:00:00", "10:00:10")),
        new RunTime("i-2", BOB, List.of(micro("10:00:00", "10:00:20"))));
    Map<String, Map<String, String>> tags = Map.of(ALICE + "/i-1", Map.of("team", "web"));
    List<HourlyUsage> rows = InstanceSeconds.hours(runTimes, DAY, DAY.plus(Duration.ofDays(1)), at("23:00:00"),
        (account, id) -> tags.getOrDefault(account + "/" + id, Map.of()));
    assertThat(rows).containsExactly(
        new HourlyUsage(ALICE, "i-1", UsageType.INSTANCE_SECONDS, "t3.micro", at("10:00:00"), 10, Map.of("team", "web")),
        new HourlyUsage(BOB, "i-2", UsageType.INSTANCE_SECONDS, "t3.micro", at("10:00:00"), 20, Map.of()));
  }

  @Test
  void aRangeNotOnWholeHoursIsRefused() {
    assertThatThrownBy(() -> InstanceSeconds.hours(List.of(), at("10:00:01"), at("11:00:00"), at("12:00:00"), (a, i) -> Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InstanceSeconds.hours(List.of(), at("11:00:00"), at("10:00:00"), at("12:00:00"), (a, i) -> Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Random instances with random intervals (some open, sub-second edges, up to weeks long) over
   * three months: the hourly rows add up to each instance's total seconds exactly, and asking the
   * range in two parts gives the same rows as asking it at once.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void hourlySumsReconcileExactlyWithTheIntervals(long seed) {
    Random random = new Random(seed);
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    Instant to = Instant.parse("2026-04-01T00:00:00Z");
    Instant now = from.plus(Duration.ofSeconds(random.nextInt(90 * 86_400))).plusNanos(random.nextInt(1_000_000_000));
    List<RunTime> runTimes = new ArrayList<>();
    Map<String, Long> expected = new HashMap<>();
    for (int n = 0; n < 30; n++) {
      String id = "i-" + n;
      List<RunInterval> intervals = new ArrayList<>();
      Instant cursor = from.minus(Duration.ofDays(3)).plusMillis((long) (random.nextDouble() * 5 * 86_400_000L));
      long total = 0;
      while (cursor.isBefore(now)) {
        Instant end = cursor.plusMillis(1 + (long) (random.nextDouble() * (random.nextBoolean() ? 3_600_000L : 14 * 86_400_000L)));
        boolean open = !end.isBefore(now) && random.nextBoolean();
        Instant counted = open ? now : end;
        intervals.add(new RunInterval(random.nextBoolean() ? "t3.micro" : "m5.large", cursor, open ? null : end));
        long inRange = Duration.between(max(cursor.truncatedTo(ChronoUnit.SECONDS), from),
            min(counted.truncatedTo(ChronoUnit.SECONDS), to)).getSeconds();
        total += Math.max(0, inRange);
        if (open) {
          break;
        }
        cursor = end.plusMillis((long) (random.nextDouble() * 2 * 86_400_000L));
      }
      runTimes.add(new RunTime(id, ALICE, intervals));
      expected.put(id, total);
    }

    List<HourlyUsage> rows = InstanceSeconds.hours(runTimes, from, to, now, (a, i) -> Map.of());
    Map<String, Long> summed = new HashMap<>();
    rows.forEach(r -> summed.merge(r.resourceId(), r.quantity(), Long::sum));
    expected.values().removeIf(total -> total == 0);
    assertThat(summed).isEqualTo(expected);
    assertThat(rows).allSatisfy(r -> assertThat(r.quantity()).isBetween(1L, 3600L));

    Instant middle = Instant.parse("2026-02-14T13:00:00Z");
    List<HourlyUsage> inParts = new ArrayList<>(InstanceSeconds.hours(runTimes, from, middle, now, (a, i) -> Map.of()));
    inParts.addAll(InstanceSeconds.hours(runTimes, middle, to, now, (a, i) -> Map.of()));
    assertThat(inParts).containsExactlyElementsOf(rows);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
