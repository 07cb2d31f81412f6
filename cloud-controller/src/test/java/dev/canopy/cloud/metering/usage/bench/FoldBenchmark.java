package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.usage.InMemoryMeteringStore;
import dev.canopy.cloud.metering.usage.MeteringStore;
import dev.canopy.cloud.metering.usage.UsageAggregator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lease holder's fold on one thread, as {@code MeteringPlane} runs it: each invocation is one pass
 * over 2,000 batches (40 readings of 50 nodes × 20 instances: 100,000 samples, 280,000 series points),
 * the passes moving on in time as the fleet's readings do, so every pass decodes and re-encodes the
 * current hour's record of each instance it touches. The score is samples per second; each
 * iteration also prints samples per CPU-second of the folding thread. {@code ROCKSDB} is the real
 * store (binary records, fsynced, behind the epoch fence); {@code MEMORY} the same fold with no
 * store, the domain's share. Instance-seconds are not folded here (an empty run-time source).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
public class FoldBenchmark {

  /** MeteringPlane.BATCHES_PER_PASS_MAX. */
  static final int BATCHES_PER_PASS = 2_000;
  static final int READINGS_PER_PASS = BATCHES_PER_PASS / AgentFleet.NODES;
  static final int SAMPLES_PER_PASS = BATCHES_PER_PASS * AgentFleet.SAMPLES_PER_BATCH;

  public enum Store { MEMORY, ROCKSDB }

  @Param({"MEMORY", "ROCKSDB"})
  public Store store;

  /**
   * The UTC hour the passes start at. Before it every instance's day is already stored, full of
   * busy 10-second points from 00:00 in hour records, as the fold leaves an open day (before hour
   * records, a pass read and rewrote the whole day so far).
   */
  @Param({"0", "20"})
  public int startHour;

  private static final Instant FIRST_DAY = Instant.parse("2026-12-01T00:00:00Z");

  private RealMeteringStore real;
  private UsageAggregator aggregator;
  private AgentFleet fleet;
  private long nextReading;
  private List<SampleBatchRecord> pass;
  private Instant now;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private long foldCpuNanos;
  private int passes;

  @Setup(Level.Trial)
  public void open() {
    MeteringStore metering;
    if (store == Store.ROCKSDB) {
      real = new RealMeteringStore();
      metering = real.metering();
    } else {
      metering = new InMemoryMeteringStore();
    }
    fleet = new AgentFleet(FIRST_DAY.plusSeconds(3_600L * startHour));
    DayRecords.storeFleetDaysUntil(metering, FIRST_DAY, startHour);
    aggregator = new UsageAggregator(metering, (from, to, at) -> List.of(), UsageAggregator.Settings.DEFAULTS);
  }

  @Setup(Level.Invocation)
  public void nextPass() {
    pass = fleet.batches(nextReading, READINGS_PER_PASS);
    nextReading += READINGS_PER_PASS;
    now = fleet.readingTime(nextReading - 1).plusSeconds(5);
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES_PER_PASS)
  public UsageAggregator.Pass fold() {
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    UsageAggregator.Pass done = aggregator.fold(pass, now);
    foldCpuNanos += THREADS.getCurrentThreadCpuTime() - cpuBefore;
    passes++;
    return done;
  }

  /**
   * Samples per CPU-second of the folding thread over the iteration: what one core folds whatever
   * else the shared machine runs (the score is per wall-second, which other processes' load and
   * the store's fsyncs lengthen). RocksDB's own threads are not counted.
   */
  @TearDown(Level.Iteration)
  public void reportCpu() {
    if (passes > 0) {
      System.out.printf(Locale.ROOT, "%n  folding thread: %d passes, %.0f samples per CPU-second%n", passes,
          (double) passes * SAMPLES_PER_PASS / (foldCpuNanos / 1e9));
    }
    passes = 0;
    foldCpuNanos = 0;
  }

  @TearDown(Level.Trial)
  public void close() {
    if (real != null) {
      real.close();
    }
  }
}
