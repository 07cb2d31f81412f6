package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.cloud.metering.series.bench.VnicTrace;
import dev.canopy.cloud.metering.usage.InstanceDay;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;

/**
 * Stored bytes of the metering records as the real store holds them (binary records in fenced
 * binary envelopes): an instance-day of one vNIC's four counters for each trace, with the codec's own block bytes
 * beside it, and an account-month ledger of the report benchmark's shape. Exact, so a plain run:
 * {@code JMH_REPORT} of {@code bench/jmh.sh}.
 */
public final class StoredRecordBytesReport {

  private static final LocalDate DAY = LocalDate.of(2026, 11, 14);
  private static final int COUNTERS_PER_VNIC = 4;

  private StoredRecordBytesReport() {}

  public static void main(String[] args) {
    try (RealMeteringStore real = new RealMeteringStore()) {
      System.out.println("instance-day of one vNIC (4 counters x 8,640 points), stored binary; blocks = the codec's bytes");
      System.out.println("trace   record B   B/vNIC-sample  B/point   blocks B  blocks B/point");
      for (VnicTrace trace : VnicTrace.values()) {
        String vm = "i-" + trace.name().toLowerCase(Locale.ROOT);
        InstanceDay day = DayRecords.day(vm, "111122223333", DAY, trace, false, 42);
        real.metering().put(day);
        int stored = real.storedBytes(SystemMeteringStore.DAYS, vm + "/" + DAY);
        long blocks = day.series().stream().flatMap(s -> s.hours().values().stream()).mapToLong(b -> b.length).sum();
        double points = (double) VnicTrace.POINTS_PER_DAY * COUNTERS_PER_VNIC;
        System.out.printf(Locale.ROOT, "%-6s %9d %14.3f %9.3f %10d %14.3f%n", trace, stored,
            (double) stored / VnicTrace.POINTS_PER_DAY, stored / points, blocks, blocks / points);
      }
      YearMonth month = YearMonth.of(2026, 11);
      real.metering().put(Ledgers.month(Ledgers.accountId(0), month, 0));
      int ledger = real.storedBytes(SystemMeteringStore.LEDGERS, Ledgers.accountId(0) + "/" + month);
      int rows = Ledgers.INSTANCES_PER_ACCOUNT * month.lengthOfMonth() * 24 * 3;
      System.out.printf(Locale.ROOT, "account-month ledger (%d rows: 2 instances x 720 h x 3 types): %d B, %.1f B/row%n",
          rows, ledger, (double) ledger / rows);
    }
  }
}
