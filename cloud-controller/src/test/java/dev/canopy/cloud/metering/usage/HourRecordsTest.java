package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.VM;
import static dev.canopy.cloud.metering.usage.Batches.batch;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.series.Metric;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The series store while a day is open: a record per instance-hour, so a pass reads and writes only
 * the hours it touches; a day is sealed into one record once it is over; days stored before hour
 * records existed are still read and folded into.
 */
class HourRecordsTest {

  private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");
  private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

  private final InMemoryMeteringStore store = new InMemoryMeteringStore();
  private final UsageAggregator aggregator = new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS);

  private static long ms(Instant at, long plusSeconds) {
    return at.plusSeconds(plusSeconds).toEpochMilli();
  }

  private static long hour(Instant at) {
    return at.getEpochSecond();
  }

  private long quantity(UsageType type, Instant hour) {
    return store.monthWithOpenDays(ACME, DECEMBER).orElseThrow().rows().stream()
        .filter(r -> r.type() == type && r.hourStart().equals(hour)).mapToLong(AccountMonth.Row::quantity).sum();
  }

  private Map<Long, Long> rxPerHour(Instant from, Instant to) {
    InstanceSeries series = Batches.usage(store).instanceSeries(VM, from.getEpochSecond(), to.getEpochSecond(), Step.HOUR);
    return series.lines().stream().filter(l -> l.metric() == Metric.RX_BYTES).findFirst().orElseThrow().sums();
  }

  @Test
  void aPassTouchingTwoHoursWritesTwoHourRecordsAndNoDay() {
    aggregator.fold(List.of(batch("1-a", nic(ms(TEN, 3_590), 100, 1), nic(ms(TEN, 3_610), 200, 2))), TEN.plusSeconds(3_620));

    MeteringWrites series = store.batchWrites.stream().filter(w -> !w.hours().isEmpty()).findFirst().orElseThrow();
    assertThat(series.hours()).extracting(InstanceHour::hourStart).containsExactly(hour(TEN), hour(TEN) + 3_600);
    assertThat(series.days()).isEmpty();
    assertThat(store.days).isEmpty();
    assertThat(store.hours).hasSize(2);
    assertThat(store.instance(VM).orElseThrow().hourlyFrom()).isEqualTo(DAY);

    // The next pass touches only the second hour: only its record is written.
    store.batchWrites.clear();
    aggregator.fold(List.of(batch("2-a", nic(ms(TEN, 3_620), 400, 4))), TEN.plusSeconds(3_630));
    assertThat(store.batchWrites).flatExtracting(MeteringWrites::hours).extracting(InstanceHour::hourStart)
        .containsExactly(hour(TEN) + 3_600);
    assertThat(store.batchWrites).flatExtracting(MeteringWrites::instances).as("the instance record did not change").isEmpty();
    assertThat(quantity(UsageType.NETWORK_IN, TEN)).isEqualTo(100);
    assertThat(quantity(UsageType.NETWORK_IN, TEN.plusSeconds(3_600))).isEqualTo(600);
    assertThat(store.day(VM, DAY).orElseThrow().trafficOfHour(hour(TEN) + 3_600)).containsEntry(UsageType.NETWORK_IN, 600L);
  }

  @Test
  void aLateSampleIntoAnEarlierHourOfAnOpenDayRewritesOnlyThatHour() {
    aggregator.fold(List.of(batch("1-a", nic(ms(TEN, 10), 100, 1), nic(ms(TEN, 7_210), 300, 3))), TEN.plusSeconds(7_220));
    store.batchWrites.clear();

    // A node's queue replays a reading of 10:00–11:00 at 12:00.
    aggregator.fold(List.of(batch("0-z", nic(ms(TEN, 20), 50, 0), nic(ms(TEN, 10), 999, 9))), TEN.plusSeconds(7_230));

    assertThat(store.batchWrites).flatExtracting(MeteringWrites::hours).extracting(InstanceHour::hourStart).containsExactly(hour(TEN));
    assertThat(quantity(UsageType.NETWORK_IN, TEN)).as("the resent second keeps its first value").isEqualTo(150);
    assertThat(quantity(UsageType.NETWORK_IN, TEN.plusSeconds(7_200))).isEqualTo(300);
  }

  @Test
  void aDayIsSealedIntoOneRecordOnceOverAndReadsTheSame() {
    aggregator.fold(List.of(batch("1-a", nic(ms(TEN, 10), 100, 1), nic(ms(TEN, 3_610), 200, 2))), TEN.plusSeconds(3_620));
    Instant from = TEN;
    Instant to = TEN.plusSeconds(7_200);
    Map<Long, Long> before = rxPerHour(from, to);

    // A day after it ended, the hourly maintenance seals it.
    UsageAggregator.Pass pass = aggregator.fold(List.of(), Instant.parse("2026-12-08T00:00:00Z"));

    assertThat(pass.daysSealed()).isEqualTo(1);
    assertThat(store.hours).isEmpty();
    InstanceDay sealed = store.dayRecord(VM, DAY).orElseThrow();
    assertThat(sealed.accountId()).isEqualTo(ACME);
    assertThat(sealed.hoursMetered()).containsExactly(hour(TEN), hour(TEN) + 3_600);
    assertThat(store.instance(VM).orElseThrow().hourlyFrom()).isEqualTo(DAY.plusDays(1));
    assertThat(rxPerHour(from, to)).isEqualTo(before).containsEntry(hour(TEN), 100L);

    // A late sample into the sealed day lands in its day record and its hour's row.
    aggregator.fold(List.of(batch("0-z", nic(ms(TEN, 20), 50, 0))), Instant.parse("2026-12-08T00:00:10Z"));
    assertThat(store.hours).isEmpty();
    assertThat(store.dayRecord(VM, DAY).orElseThrow().trafficOfHour(hour(TEN))).containsEntry(UsageType.NETWORK_IN, 150L);
    assertThat(quantity(UsageType.NETWORK_IN, TEN)).isEqualTo(150);
  }

  @Test
  void aDayStoredBeforeHourRecordsIsReadAndFoldedIntoAndTheNextDayIsKeptByTheHour() {
    // As an earlier build left it: one record for the day, an instance record without hourlyFrom.
    InstanceDay old = InstanceDay.empty(VM, ACME, DAY)
        .merge(List.of(new MeteredPoint(VM, Batches.MAC, Metric.RX_BYTES, hour(TEN) + 10, 100)), hour(TEN) + 20).day();
    store.put(old);
    store.put(new MeteredInstance(VM, ACME, DAY, DAY));
    assertThat(rxPerHour(TEN, TEN.plusSeconds(3_600))).containsEntry(hour(TEN), 100L);

    aggregator.fold(List.of(batch("1-a", nic(ms(TEN, 20), 20, 0), nic(ms(TEN, 10), 999, 0))), TEN.plusSeconds(30));
    assertThat(store.hours).as("the day goes on in its day record").isEmpty();
    assertThat(quantity(UsageType.NETWORK_IN, TEN)).isEqualTo(120);
    assertThat(rxPerHour(TEN, TEN.plusSeconds(3_600))).containsEntry(hour(TEN), 120L);

    Instant tomorrow = TEN.plusSeconds(86_400);
    aggregator.fold(List.of(batch("2-a", nic(ms(tomorrow, 10), 7, 0))), tomorrow.plusSeconds(20));
    assertThat(store.hours).hasSize(1);
    MeteredInstance instance = store.instance(VM).orElseThrow();
    assertThat(instance.hourlyFrom()).isEqualTo(DAY.plusDays(1));
    assertThat(instance.lastDay()).isEqualTo(DAY.plusDays(1));
    assertThat(rxPerHour(TEN, tomorrow.plusSeconds(3_600))).containsEntry(hour(TEN), 120L).containsEntry(hour(tomorrow), 7L);
  }

  @Test
  void retentionLeavesNoHourRecordOfADay() {
    Instant noon = Instant.parse("2026-11-01T12:00:00Z");
    List<ObjectNode> readings = new ArrayList<>();
    for (long s = 10; s <= 7_200; s += 10) {
      readings.add(nic(ms(noon, s), s, 1));
    }
    aggregator.fold(List.of(batch("1-a", readings.toArray(ObjectNode[]::new))), noon.plusSeconds(7_300));
    assertThat(store.hours).hasSize(2);
    // A seal that died before deleting the hour records leaves them behind; nothing reads them.
    List<InstanceHour> leftBehind = List.copyOf(store.hours.values());
    aggregator.fold(List.of(), Instant.parse("2026-11-03T00:00:00Z"));
    assertThat(store.hours).isEmpty();
    leftBehind.forEach(store::put);

    UsageAggregator.Pass pass = aggregator.fold(List.of(), Instant.parse("2026-12-02T12:00:00Z"));

    assertThat(pass.daysRolledUp()).isEqualTo(1);
    assertThat(store.dayRecord(VM, LocalDate.of(2026, 11, 1)).orElseThrow().isRolledUp()).isTrue();
    assertThat(store.hours).isEmpty();
  }
}
