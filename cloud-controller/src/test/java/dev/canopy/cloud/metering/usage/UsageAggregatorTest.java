package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.VM;
import static dev.canopy.cloud.metering.usage.Batches.batch;
import static dev.canopy.cloud.metering.usage.Batches.cpu;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageAggregatorTest {

  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

  private final InMemoryMeteringStore store = new InMemoryMeteringStore();

  private UsageAggregator aggregator() {
    return new UsageAggregator(store, (from, to, now) -> List.of(), UsageAggregator.Settings.DEFAULTS);
  }

  private static long ms(Instant at, long plusSeconds) {
    return at.plusSeconds(plusSeconds).toEpochMilli();
  }

  private long quantity(YearMonth month, UsageType type, Instant hour) {
    return store.monthWithOpenDays(ACME, month).orElseThrow().rows().stream()
        .filter(r -> r.type() == type && r.hourStart().equals(hour)).mapToLong(AccountMonth.Row::quantity).sum();
  }

  @Test
  void trafficBecomesHourlyLedgerRowsAndAPointOnTheHourEndsTheHourBefore() {
    UsageAggregator.Pass pass = aggregator().fold(List.of(batch("1-a",
        nic(ms(TEN, 10), 100, 7), nic(ms(TEN, 20), 200, 8), nic(ms(TEN, 3600), 400, 9), nic(ms(TEN, 3610), 800, 10),
        cpu(ms(TEN, 10), 5_000))), NOW);

    assertThat(pass.points()).isEqualTo(17);
    assertThat(pass.added()).isEqualTo(17);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN)).isEqualTo(700);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_OUT, TEN)).isEqualTo(24);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN.plusSeconds(3600))).isEqualTo(800);
    InstanceDay day = store.day(VM, LocalDate.of(2026, 12, 6)).orElseThrow();
    assertThat(day.accountId()).isEqualTo(ACME);
    assertThat(day.series()).hasSize(5);
    assertThat(store.instance(VM).orElseThrow().accountId()).isEqualTo(ACME);
    assertThat(store.monthIndex(DECEMBER).orElseThrow().accounts()).containsExactly(ACME);
  }

  @Test
  void aResentBatchCountsOnce() {
    SampleBatchRecord batch = batch("1-a", nic(ms(TEN, 10), 100, 7), nic(ms(TEN, 20), 200, 8));
    aggregator().fold(List.of(batch), NOW);
    AccountMonth before = store.monthWithOpenDays(ACME, DECEMBER).orElseThrow();

    UsageAggregator.Pass again = aggregator().fold(List.of(batch, batch), NOW.plusSeconds(5));

    assertThat(again.added()).isZero();
    assertThat(again.duplicates()).isEqualTo(16);
    assertThat(store.monthWithOpenDays(ACME, DECEMBER).orElseThrow()).isEqualTo(before);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN)).isEqualTo(300);
  }

  @Test
  void aHolderThatDiedAfterStoringTheSeriesButBeforeTheLedgerLosesNothing() {
    SampleBatchRecord batch = batch("1-a", nic(ms(TEN, 10), 100, 7), nic(ms(TEN, 20), 200, 8));
    store.failLedgerWrites = true;
    assertThatThrownBy(() -> aggregator().fold(List.of(batch), NOW)).isInstanceOf(IllegalStateException.class);
    assertThat(store.day(VM, LocalDate.of(2026, 12, 6))).isPresent();
    assertThat(store.monthWithOpenDays(ACME, DECEMBER)).isEmpty();

    // The batch was not forgotten, so the next holder folds it again.
    store.failLedgerWrites = false;
    UsageAggregator.Pass pass = aggregator().fold(List.of(batch), NOW.plusSeconds(30));

    assertThat(pass.added()).isZero();
    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN)).isEqualTo(300);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_OUT, TEN)).isEqualTo(15);
  }

  @Test
  void lateSamplesForAClosedMonthAreCorrectionsRecordedWhenNoticedAndTheClosedRowsStay() {
    Instant lastHour = Instant.parse("2026-11-30T23:00:00Z");
    UsageAggregator aggregator = aggregator();
    aggregator.fold(List.of(batch("1-a", nic(ms(lastHour, 10), 1_000, 0))), Instant.parse("2026-11-30T23:00:20Z"));
    // Two days after the month ends (the default grace) it closes.
    UsageAggregator.Pass closing = aggregator.fold(List.of(), Instant.parse("2026-12-03T00:00:01Z"));
    assertThat(closing.monthsClosed()).isEqualTo(1);
    AccountMonth closed = store.month(ACME, YearMonth.of(2026, 11)).orElseThrow();
    assertThat(closed.closed()).isTrue();

    // An agent back from a long outage replays the month's last hour.
    UsageAggregator.Pass late = aggregator.fold(List.of(batch("2-b", nic(ms(lastHour, 10), 9, 9), nic(ms(lastHour, 20), 250, 0))),
        Instant.parse("2026-12-03T08:00:00Z"));

    assertThat(late.adjustments()).isEqualTo(1);
    AccountMonth november = store.month(ACME, YearMonth.of(2026, 11)).orElseThrow();
    assertThat(november.rows()).isEqualTo(closed.rows());
    assertThat(november.adjustments()).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(UsageType.NETWORK_IN);
      assertThat(a.hourStart()).isEqualTo(lastHour);
      assertThat(a.delta()).isEqualTo(250);
    });
    MonthUsage decemberBill = Batches.usage(store).month(ACME, DECEMBER);
    assertThat(decemberBill.corrections()).singleElement()
        .satisfies(c -> assertThat(c.change().quantity()).isEqualTo(250));
    // Folding the same late batch again corrects nothing more.
    assertThat(aggregator.fold(List.of(batch("2-b", nic(ms(lastHour, 20), 250, 0))), Instant.parse("2026-12-03T09:00:00Z"))
        .adjustments()).isZero();
  }

  @Test
  void anAccountsFirstUsageOfAClosedMonthIsACorrectionNotANewRow() {
    UsageAggregator aggregator = aggregator();
    // Another account's usage makes November a month with a ledger, which then closes.
    aggregator.fold(List.of(new SampleBatchRecord("nd-2", "1-z", Instant.EPOCH, JsonNodeFactory.instance.arrayNode()
        .add(nic(ms(Instant.parse("2026-11-10T00:00:00Z"), 10), 1, 1).put("instanceId", "i-0000000000000000b")),
        Map.of("i-0000000000000000b", "444455556666"))), Instant.parse("2026-11-10T00:01:00Z"));
    aggregator.fold(List.of(), Instant.parse("2026-12-03T00:00:01Z"));

    aggregator.fold(List.of(batch("1-a", nic(ms(Instant.parse("2026-11-20T05:00:00Z"), 10), 70, 0))),
        Instant.parse("2026-12-04T00:00:00Z"));

    AccountMonth november = store.month(ACME, YearMonth.of(2026, 11)).orElseThrow();
    assertThat(november.closed()).isTrue();
    assertThat(november.rows()).isEmpty();
    assertThat(november.adjustments()).extracting(AccountMonth.Adjustment::delta).containsExactly(70L);
  }

  @Test
  void anUnknownInstanceKeepsItsSeriesButBillsNobody() {
    SampleBatchRecord unowned = new SampleBatchRecord("nd-1", "1-a", Instant.EPOCH,
        JsonNodeFactory.instance.arrayNode().add(nic(ms(TEN, 10), 100, 7)), Map.of());

    UsageAggregator.Pass pass = aggregator().fold(List.of(unowned), NOW);

    assertThat(pass.unowned()).isEqualTo(4);
    assertThat(store.day(VM, LocalDate.of(2026, 12, 6))).isPresent();
    assertThat(store.months).isEmpty();
    assertThat(store.accountDays).isEmpty();
  }

  @Test
  void malformedSamplesGiveNoPointAndAreCounted() {
    UsageAggregator.Pass pass = aggregator().fold(List.of(batch("1-a",
        nic(ms(TEN, 10), 100, 7), nic(ms(TEN, 20), 1, 1).put("rxBytes", -5), nic(ms(TEN, 30), 1, 1).put("txBytes", 1.5),
        cpu(ms(TEN, 10), 1).put("cpuTimeNanos", "lots"), nic(ms(TEN, 40), 1, 1).without("timestampMs"))), NOW);

    assertThat(pass.rejected()).isEqualTo(4);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN)).isEqualTo(100);
  }

  @Test
  void instanceSecondsFromTheLifecycleLandInTheLedgerAsAbsoluteQuantities() {
    List<List<Instant>> asked = new java.util.ArrayList<>();
    RunTimeSource runTime = (from, to, now) -> {
      asked.add(List.of(from, to));
      long seconds = now.getEpochSecond() - TEN.plusSeconds(3600).getEpochSecond();
      return List.of(new HourlyUsage(ACME, VM, UsageType.INSTANCE_SECONDS, "m1.small", TEN.plusSeconds(3600), Math.min(seconds, 3600),
          Map.of()));
    };
    UsageAggregator aggregator = new UsageAggregator(store, runTime, UsageAggregator.Settings.DEFAULTS);

    aggregator.fold(List.of(), TEN.plusSeconds(3600 + 600));
    aggregator.fold(List.of(), TEN.plusSeconds(3600 + 630));
    assertThat(asked).hasSize(1);
    aggregator.fold(List.of(), TEN.plusSeconds(3600 + 1200));

    assertThat(asked).hasSize(2);
    assertThat(asked.get(0)).containsExactly(TEN.minusSeconds(3600), TEN.plusSeconds(7200));
    AccountMonth.Row row = store.monthWithOpenDays(ACME, DECEMBER).orElseThrow().rows().get(0);
    assertThat(row.type()).isEqualTo(UsageType.INSTANCE_SECONDS);
    assertThat(row.instanceType()).isEqualTo("m1.small");
    assertThat(row.quantity()).isEqualTo(1200);
    assertThat(store.runTimeFoldedThrough()).contains(TEN.plusSeconds(3600));
  }

  @Test
  void aDayFirstMeteredWithoutAnOwnerIsBilledWholeFromTheBatchThatNamesIt() {
    SampleBatchRecord unowned = new SampleBatchRecord("nd-1", "1-a", Instant.EPOCH,
        JsonNodeFactory.instance.arrayNode().add(nic(ms(TEN, 10), 100, 7)), Map.of());
    aggregator().fold(List.of(unowned), NOW);
    assertThat(store.months).isEmpty();
    assertThat(store.accountDays).isEmpty();

    // The holder dies while billing the hours folded unowned: nothing says the day is owned yet.
    store.failLedgerWrites = true;
    SampleBatchRecord owned = batch("2-b", nic(ms(TEN, 3610), 50, 1));
    assertThatThrownBy(() -> aggregator().fold(List.of(owned), NOW)).isInstanceOf(IllegalStateException.class);
    assertThat(store.day(VM, LocalDate.of(2026, 12, 6)).orElseThrow().accountId()).isNull();

    store.failLedgerWrites = false;
    aggregator().fold(List.of(owned), NOW.plusSeconds(5));

    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN)).isEqualTo(100);
    assertThat(quantity(DECEMBER, UsageType.NETWORK_IN, TEN.plusSeconds(3600))).isEqualTo(50);
    assertThat(store.day(VM, LocalDate.of(2026, 12, 6)).orElseThrow().accountId()).isEqualTo(ACME);
    assertThat(store.instance(VM).orElseThrow().accountId()).isEqualTo(ACME);
  }

  @Test
  void aPassWritesItsRecordsInOneWritePerOrderingStep() {
    Instant day1 = Instant.parse("2026-12-05T23:59:50Z");
    // A new instance, across midnight: two days, the month's first ledger (its index first), run time.
    UsageAggregator aggregator = new UsageAggregator(store, (from, to, now) -> List.of(
        new HourlyUsage(ACME, VM, UsageType.INSTANCE_SECONDS, "c1.small", TEN, 3_600, Map.of())), UsageAggregator.Settings.DEFAULTS);
    aggregator.fold(List.of(batch("1-a", nic(ms(day1, 0), 100, 1), nic(ms(day1, 10), 200, 2), nic(ms(day1, 20), 300, 3))), NOW);

    assertThat(store.singlePuts).as("the account-day seal's mark, moved once a day by the hourly maintenance").isEqualTo(1);
    assertThat(store.batchWrites).hasSize(3);
    assertThat(store.batchWrites.get(0).indexes()).as("the index lists the account before its ledger exists")
        .extracting(MonthIndex::month).containsExactly(DECEMBER);
    assertThat(store.batchWrites.get(1).hours()).as("the series, by the hour while their days are open")
        .extracting(InstanceHour::day).containsExactly(LocalDate.of(2026, 12, 5), LocalDate.of(2026, 12, 6));
    assertThat(store.batchWrites.get(1).days()).isEmpty();
    assertThat(store.batchWrites.get(1).instances()).hasSize(1);
    assertThat(store.batchWrites.get(2).accountDays()).as("the rows of open days, in day records, not the month's ledger")
        .extracting(AccountDay::day).containsExactly(LocalDate.of(2026, 12, 5), LocalDate.of(2026, 12, 6));
    assertThat(store.batchWrites.get(2).months()).isEmpty();
    assertThat(store.batchWrites.get(2).runTimeFoldedThrough()).as("the cursor only with its rows").isNotNull();
    MeteredInstance instance = store.instance(VM).orElseThrow();
    assertThat(instance.firstDay()).as("the second day's record builds on the first's, not the stored one")
        .isEqualTo(LocalDate.of(2026, 12, 5));
    assertThat(instance.lastDay()).isEqualTo(LocalDate.of(2026, 12, 6));

    store.batchWrites.clear();
    aggregator.fold(List.of(batch("1-b", nic(ms(TEN, 10), 100, 7))), NOW.plusSeconds(5));
    assertThat(store.batchWrites).as("a known account's pass: the series, then the ledgers").hasSize(2);
    assertThat(store.singlePuts).isEqualTo(1);
  }
}
