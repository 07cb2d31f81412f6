package dev.canopy.cloud.metering.series.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Ingest on one thread: a day of one vNIC's 10-second points appended and sealed hourly, Canopy's
 * codec beside the Gorilla peer on the same trace. The score is points per second. Few forks and
 * iterations: the benchmark machine's two cores are shared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SeriesIngestBenchmark {

  @Param({"IDLE", "LIGHT", "BUSY"})
  public VnicTrace trace;

  private long[] seconds;
  private long[] values;

  @Setup
  public void setUp() {
    seconds = trace.seconds();
    values = trace.values(42);
  }

  @Benchmark
  @OperationsPerInvocation(VnicTrace.POINTS_PER_DAY)
  public long canopy(Blackhole sealed) {
    return DayEncoders.canopy(seconds, values, sealed::consume);
  }

  @Benchmark
  @OperationsPerInvocation(VnicTrace.POINTS_PER_DAY)
  public long gorilla(Blackhole sealed) {
    return DayEncoders.gorilla(seconds, values, sealed::consume);
  }
}
