package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.billing.MonthTotals;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.cloud.metering.usage.MeteringWrites;
import dev.canopy.cloud.metering.usage.MonthEndBilling;
import dev.canopy.cloud.metering.usage.MonthIndex;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * The month-end billing run on the real store: every account the month's index lists, its ledger
 * (2 instances × 720 hours × 3 usage types, as in {@link MonthReportBenchmark}) and twelve earlier
 * months looked up for corrections, priced into totals per resource and SKU ({@link MonthEndBilling})
 * on a pool of {@code threads}. The score is seconds for all {@code accounts}; each shot also prints
 * the CPU seconds the pool spent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class MonthEndBenchmark {

  @Param({"10000"})
  public int accounts;

  @Param({"2"})
  public int threads;

  private RealMeteringStore real;
  private MonthEndBilling billing;
  private ExecutorService pool;
  private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long cpuAtStart;

  @Setup(Level.Trial)
  public void fill() {
    real = new RealMeteringStore();
    TreeSet<String> listed = new TreeSet<>();
    MeteringWrites writes = new MeteringWrites();
    for (int a = 0; a < accounts; a++) {
      listed.add(Ledgers.accountId(a));
      writes.add(Ledgers.month(Ledgers.accountId(a), MonthReportBenchmark.NOVEMBER, a));
      if (writes.months().size() == 200) {
        real.metering().putAll(writes);
        writes = new MeteringWrites();
      }
    }
    real.metering().putAll(writes.add(new MonthIndex(MonthReportBenchmark.NOVEMBER, listed, null)));
    // The month's days are sealed into these ledgers, as on a running cloud two days after the month
    // ended: the run reads no day record.
    real.metering().putAccountDaysSealedThrough(MonthReportBenchmark.NOVEMBER.atEndOfMonth());
    System.out.printf("%nledger of %s: %,d B stored%n", MonthReportBenchmark.NOVEMBER,
        real.storedBytes(SystemMeteringStore.LEDGERS, Ledgers.accountId(0) + "/" + MonthReportBenchmark.NOVEMBER));
    billing = new MonthEndBilling(real.usage());
    pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "month-end-" + workers.size());
      workers.add(thread);
      return thread;
    });
  }

  /**
   * CPU seconds the pool's threads spent, printed after each shot: on a shared machine the wall
   * time says how loaded it was as much as how costly the run is.
   */
  @Setup(Level.Iteration)
  public void startCpuClock() {
    cpuAtStart = workersCpuNanos();
  }

  @TearDown(Level.Iteration)
  public void printCpu() {
    System.out.printf("%n  pool CPU for the shot: %.2f s%n", (workersCpuNanos() - cpuAtStart) / 1e9);
  }

  private long workersCpuNanos() {
    java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread worker : workers) {
      long cpu = threadsBean.getThreadCpuTime(worker.getId());
      sum += Math.max(0, cpu);
    }
    return sum;
  }

  @Benchmark
  public List<MonthTotals> everyAccount() {
    return billing.run(MonthReportBenchmark.NOVEMBER, MonthReportBenchmark.PRICES, pool);
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.shutdown();
    real.close();
  }
}
