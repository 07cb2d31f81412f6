package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatch;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.usage.InMemoryMeteringStore;
import dev.canopy.cloud.metering.usage.InstanceSeries;
import dev.canopy.cloud.metering.usage.Step;
import dev.canopy.cloud.metering.usage.StoredUsage;
import dev.canopy.cloud.metering.usage.UsageAggregator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A sample shows in a graph as soon as it is stored because the usage query also reads the batches
 * not folded yet: the cost of that path. One VM's last 40 minutes at 10 s, the first 400 s folded
 * into an in-memory store, with {@code unfolded} batches of the fleet (50 nodes × 20 instances) still
 * in an in-memory {@link MeteringService}. The score is milliseconds per query.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class UnfoldedReadBenchmark {

  @Param({"0", "2000"})
  public int unfolded;

  private final AgentFleet fleet = new AgentFleet(Instant.parse("2026-12-01T00:00:00Z"));
  private StoredUsage usage;
  private final String vm = AgentFleet.instanceId(7, 3);
  private long from;
  private long to;

  @Setup(Level.Trial)
  public void fill() {
    InMemoryMeteringStore store = new InMemoryMeteringStore();
    new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS)
        .fold(fleet.batches(0, FoldBenchmark.READINGS_PER_PASS), fleet.readingTime(FoldBenchmark.READINGS_PER_PASS));
    MeteringService batches = new MeteringService(new InMemoryTable<SampleBatchRecord>(), id -> Optional.of("111122223333"),
        Clock.systemUTC());
    for (SampleBatchRecord b : fleet.batches(FoldBenchmark.READINGS_PER_PASS, unfolded / AgentFleet.NODES)) {
      batches.ingest(new SampleBatch(b.nodeId(), b.batchId(), b.samples()));
    }
    usage = new StoredUsage(store, batches, id -> Optional.empty());
    from = fleet.readingTime(-1).getEpochSecond();
    to = fleet.readingTime(2 * FoldBenchmark.READINGS_PER_PASS).getEpochSecond();
  }

  @Benchmark
  public InstanceSeries lastMinutes() {
    return usage.instanceSeries(vm, from, to, Step.TEN_SECONDS);
  }
}
