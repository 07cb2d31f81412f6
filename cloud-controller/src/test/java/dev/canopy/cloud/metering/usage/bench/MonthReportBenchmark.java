package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.billing.FocusFormats;
import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.cloud.metering.usage.MonthUsage;
import dev.canopy.cloud.metering.usage.StoredUsage;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
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
 * A month's FOCUS reports for every account, on one thread, from the real store: per account the
 * usage API's month (the ledger, and twelve earlier months looked up for corrections), the report
 * built and priced, and written as CSV (to a null writer). Each ledger holds 2 instances × 720 hours ×
 * 3 usage types. The score is seconds for all {@code accounts}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class MonthReportBenchmark {

  static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  static final PriceSheet PRICES = new PriceSheet("USD", Map.of(
      UsageType.INSTANCE_SECONDS.skuId(Ledgers.INSTANCE_TYPE), new BigDecimal("0.0230"),
      UsageType.NETWORK_IN.skuId(null), BigDecimal.ZERO, UsageType.NETWORK_OUT.skuId(null), new BigDecimal("0.09")));

  @Param({"10000"})
  public int accounts;

  private RealMeteringStore real;
  private StoredUsage usage;

  @Setup(Level.Trial)
  public void fill() {
    real = new RealMeteringStore();
    for (int a = 0; a < accounts; a++) {
      real.metering().put(Ledgers.month(Ledgers.accountId(a), NOVEMBER, a));
    }
    System.out.printf("%nledger of %s: %,d B stored%n", NOVEMBER,
        real.storedBytes(SystemMeteringStore.LEDGERS, Ledgers.accountId(0) + "/" + NOVEMBER));
    usage = real.usage();
    // The CSV of one account, to turn rows per second into bytes per second.
    java.io.StringWriter csv = new java.io.StringWriter();
    MonthUsage first = usage.month(Ledgers.accountId(0), NOVEMBER);
    FocusReport report = FocusReport.build(Ledgers.accountId(0), NOVEMBER, first.usage(), List.of(), PRICES);
    FocusFormats.writeCsv(report, csv);
    System.out.printf("FOCUS CSV of one account: %,d rows, %,d B (UTF-8)%n", report.rows().size(),
        csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Benchmark
  public int everyAccount() {
    int rows = 0;
    for (int a = 0; a < accounts; a++) {
      String account = Ledgers.accountId(a);
      MonthUsage month = usage.month(account, NOVEMBER);
      FocusReport report = FocusReport.build(account, NOVEMBER, month.usage(),
          month.corrections().stream().map(MonthUsage.Correction::change).toList(), PRICES);
      FocusFormats.writeCsv(report, Writer.nullWriter());
      rows += report.rows().size();
    }
    return rows;
  }

  @TearDown(Level.Trial)
  public void close() {
    real.close();
  }
}
