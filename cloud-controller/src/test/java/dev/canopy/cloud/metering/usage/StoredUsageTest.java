package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.MAC;
import static dev.canopy.cloud.metering.usage.Batches.VM;
import static dev.canopy.cloud.metering.usage.Batches.cpu;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatch;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.series.Metric;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Graph queries: folded series and batches not folded yet, summed per step, within the range asked. */
class StoredUsageTest {

  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");

  private final InMemoryMeteringStore store = new InMemoryMeteringStore();
  private final MeteringService batches = new MeteringService(new InMemoryTable<SampleBatchRecord>(),
      id -> Optional.of(ACME), Clock.systemUTC());
  private final StoredUsage usage = new StoredUsage(store, batches, id -> id.equals("i-running") ? Optional.of("999900001111") : Optional.empty());

  private static long ms(long plusSeconds) {
    return TEN.plusSeconds(plusSeconds).toEpochMilli();
  }

  @Test
  void aSampleShowsBeforeItIsFoldedAndOnceAfter() {
    new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS)
        .fold(List.of(Batches.batch("1-a", nic(ms(10), 100, 1), nic(ms(20), 200, 2))), TEN.plusSeconds(30));
    // Not folded yet: one new reading, and a resend of a folded one with another value (the folded value stays).
    batches.ingest(new SampleBatch("nd-1", "2-b", JsonNodeFactory.instance.arrayNode()
        .add(nic(ms(30), 400, 4)).add(nic(ms(20), 999, 9)).add(cpu(ms(30), 77))));

    InstanceSeries series = usage.instanceSeries(VM, TEN.getEpochSecond(), TEN.plusSeconds(60).getEpochSecond(), Step.TEN_SECONDS);

    InstanceSeries.Line rx = line(series, Metric.RX_BYTES);
    assertThat(rx.nic()).isEqualTo(MAC);
    assertThat(rx.sums()).containsExactly(Map.entry(TEN.getEpochSecond(), 100L), Map.entry(TEN.getEpochSecond() + 10, 200L),
        Map.entry(TEN.getEpochSecond() + 20, 400L));
    assertThat(line(series, Metric.CPU_NANOS).sums()).containsExactly(Map.entry(TEN.getEpochSecond() + 20, 77L));
    assertThat(line(usage.instanceSeries(VM, TEN.getEpochSecond(), TEN.plusSeconds(60).getEpochSecond(), Step.MINUTE), Metric.RX_BYTES)
        .sums()).containsExactly(Map.entry(TEN.getEpochSecond(), 700L));
  }

  @Test
  void onlyPointsInTheHalfOpenRangeCount() {
    new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS)
        .fold(List.of(Batches.batch("1-a", nic(ms(10), 1, 0), nic(ms(20), 2, 0), nic(ms(30), 4, 0))), TEN.plusSeconds(30));

    InstanceSeries series = usage.instanceSeries(VM, TEN.plusSeconds(10).getEpochSecond(), TEN.plusSeconds(20).getEpochSecond(),
        Step.HOUR);

    assertThat(line(series, Metric.RX_BYTES).sums()).containsExactly(Map.entry(TEN.getEpochSecond(), 2L));
  }

  @Test
  void theOwnerIsTheMeteredOneAndOtherwiseTheInstanceRecords() {
    new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS)
        .fold(List.of(Batches.batch("1-a", nic(ms(10), 1, 0))), TEN.plusSeconds(30));

    assertThat(usage.ownerOf(VM)).contains(ACME);
    assertThat(usage.ownerOf("i-running")).contains("999900001111");
    assertThat(usage.ownerOf("i-nobody")).isEmpty();
    assertThat(usage.instanceSeries("i-nobody", 0, 100, Step.DAY).lines()).isEmpty();
  }

  private static InstanceSeries.Line line(InstanceSeries series, Metric metric) {
    return series.lines().stream().filter(l -> l.metric() == metric).findFirst().orElseThrow();
  }
}
