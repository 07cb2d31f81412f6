package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static dev.canopy.cloud.metering.usage.Batches.batch;
import static dev.canopy.cloud.metering.usage.Batches.nic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On random traffic over a month boundary, resent and shuffled: every byte of the raw samples is
 * in the ledgers exactly once, and in the hourly series the graphs read.
 */
class UsageReconciliationTest {

  private static final Instant START = Instant.parse("2026-11-30T20:00:00Z");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void ledgersAndSeriesHoldEveryRawByteOnce(long seed) {
    Random random = new Random(seed);
    List<SampleBatchRecord> batches = new ArrayList<>();
    long rawIn = 0;
    long rawOut = 0;
    // Eight hours of 10-second readings, a few readings per batch, counters up to a 10 Gbit/s link.
    List<ObjectNode> readings = new ArrayList<>();
    for (long s = 10; s <= 8 * 3600; s += 10) {
      long rx = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 12_500_000_000L);
      long tx = random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000);
      rawIn += rx;
      rawOut += tx;
      readings.add(nic(START.plusSeconds(s).toEpochMilli(), rx, tx));
    }
    for (int i = 0; i < readings.size(); i += 3) {
      batches.add(batch("b-" + i, readings.subList(i, Math.min(i + 3, readings.size())).toArray(ObjectNode[]::new)));
    }
    // Resends of random batches, and everything out of order, folded in passes of random size.
    for (int i = 0; i < batches.size() / 5; i++) {
      batches.add(batches.get(random.nextInt(batches.size())));
    }
    Collections.shuffle(batches, random);
    InMemoryMeteringStore store = new InMemoryMeteringStore();
    UsageAggregator aggregator = new UsageAggregator(store, (from, to, now) -> List.of(), UsageAggregator.Settings.DEFAULTS);
    for (int i = 0; i < batches.size(); ) {
      int n = 1 + random.nextInt(50);
      aggregator.fold(batches.subList(i, Math.min(i + n, batches.size())), START.plusSeconds(9 * 3600));
      i += n;
    }

    StoredUsage usage = Batches.usage(store);
    long ledgerIn = 0;
    long ledgerOut = 0;
    for (YearMonth month : List.of(YearMonth.of(2026, 11), YearMonth.of(2026, 12))) {
      for (var u : usage.month(ACME, month).usage()) {
        ledgerIn += u.type() == UsageType.NETWORK_IN ? u.quantity() : 0;
        ledgerOut += u.type() == UsageType.NETWORK_OUT ? u.quantity() : 0;
      }
    }
    assertThat(ledgerIn).isEqualTo(rawIn);
    assertThat(ledgerOut).isEqualTo(rawOut);
    long seriesIn = 0;
    for (InstanceSeries.Line line : usage.instanceSeries(Batches.VM, START.getEpochSecond(),
        START.plusSeconds(8 * 3600).getEpochSecond(), Step.HOUR).lines()) {
      if (line.metric() == dev.canopy.cloud.metering.series.Metric.RX_BYTES) {
        seriesIn += line.sums().values().stream().mapToLong(Long::longValue).sum();
      }
    }
    assertThat(seriesIn).isEqualTo(rawIn);
  }
}
