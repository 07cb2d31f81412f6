package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.metering.series.bench.VnicTrace;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.usage.InstanceSeries;
import dev.canopy.cloud.metering.usage.MeteredInstance;
import dev.canopy.cloud.metering.usage.Step;
import dev.canopy.cloud.metering.usage.StoredUsage;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One VM's month of 10-second data through the usage API's query, on the real store: 29 sealed
 * instance-day records and the last day's 24 hour records (a CPU series and one vNIC's four
 * counters, busy traffic, 8,640 points a series a day), read for the whole month per hour and raw.
 * The score is milliseconds per query; each iteration also prints the CPU milliseconds per query
 * of the benchmark thread, which a shared machine's load moves far less than the wall time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class MonthSeriesBenchmark {

  static final String VM = "i-0000000000000000a";
  static final String ACCOUNT = "111122223333";
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  static final int DAYS = 30;

  @Param({"HOUR", "TEN_SECONDS"})
  public Step step;

  private RealMeteringStore real;
  private StoredUsage usage;
  private long monthStart;
  private long monthEnd;
  private long calls;
  private long cpuAtStart;

  @Setup(Level.Trial)
  public void fill() {
    real = new RealMeteringStore();
    // The month as the aggregator leaves it on its last day: the days before sealed into day
    // records, the last one still kept by the hour.
    LocalDate lastDay = FIRST_DAY.plusDays(DAYS - 1);
    for (int d = 0; d < DAYS - 1; d++) {
      real.metering().put(DayRecords.day(VM, ACCOUNT, FIRST_DAY.plusDays(d), VnicTrace.BUSY, true, d));
    }
    InstanceDay open = DayRecords.day(VM, ACCOUNT, lastDay, VnicTrace.BUSY, true, DAYS - 1);
    for (long hour : open.hoursMetered()) {
      real.metering().put(open.hour(hour));
    }
    real.metering().put(new MeteredInstance(VM, ACCOUNT, FIRST_DAY, lastDay).withHourlyFrom(lastDay));
    usage = real.usage();
    monthStart = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    monthEnd = FIRST_DAY.plusDays(DAYS).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  }

  /** JMH runs iteration set-ups on the benchmark's thread when it has one thread, as here. */
  @Setup(Level.Iteration)
  public void startCpuClock() {
    calls = 0;
    cpuAtStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void printCpu() {
    long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart;
    System.out.printf("%n  benchmark thread CPU per query: %.2f ms (%d queries)%n", cpu / 1e6 / Math.max(1, calls), calls);
  }

  @Benchmark
  public InstanceSeries month() {
    calls++;
    return usage.instanceSeries(VM, monthStart, monthEnd, step);
  }

  @TearDown(Level.Trial)
  public void close() {
    real.close();
  }
}
