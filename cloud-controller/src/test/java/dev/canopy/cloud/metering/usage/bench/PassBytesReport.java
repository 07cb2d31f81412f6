package dev.canopy.cloud.metering.usage.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.LedgerWriter;
import dev.canopy.cloud.metering.usage.UsageAggregator;
import dev.canopy.storage.local.SystemStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Bytes one metering pass writes late in a month: {@value #ACCOUNTS} accounts × {@value
 * #INSTANCES_PER_ACCOUNT} instances, the month filled through 28 December 12:00 (traffic in and out
 * and instance-seconds every hour), then one pass with a 10-second sample of every instance and the
 * minute's instance-seconds, as every 5-second pass at scale has. The bytes are counted per
 * namespace under {@link SystemMeteringStore} (records as stored, envelopes included), in memory.
 * Exact, so a plain run: {@code JMH_REPORT} of {@code bench/jmh.sh}, or any java with the test classpath.
 */
public final class PassBytesReport {

  static final int ACCOUNTS = 100;
  static final int INSTANCES_PER_ACCOUNT = 10;
  private static final Instant MONTH_START = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant NOON = Instant.parse("2026-12-28T12:00:00Z");

  private PassBytesReport() {}

  /** A system store in memory that counts what is written. */
  private static final class CountingStore implements SystemStore {
    final Map<String, byte[]> records = new HashMap<>();
    final Map<String, long[]> written = new TreeMap<>();

    @Override
    public void put(String namespace, String key, byte[] value) {
      records.put(namespace + "\n" + key, value);
      long[] counts = written.computeIfAbsent(namespace, n -> new long[2]);
      counts[0]++;
      counts[1] += value.length;
    }

    @Override
    public void delete(String namespace, String key) {
      records.remove(namespace + "\n" + key);
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
      return Optional.ofNullable(records.get(namespace + "\n" + key));
    }

    @Override
    public Map<String, byte[]> loadAll(String namespace) {
      Map<String, byte[]> all = new HashMap<>();
      records.forEach((k, v) -> {
        if (k.startsWith(namespace + "\n")) {
          all.put(k.substring(namespace.length() + 1), v);
        }
      });
      return all;
    }
  }

  static String account(int a) {
    return String.format("%012d", a);
  }

  static String instance(int a, int i) {
    return String.format("i-%09d%08x", a, i);
  }

  /** Instance-seconds of every instance for every hour of {@code [from, to)}, the last hour up to {@code now}. */
  private static List<HourlyUsage> runTime(Instant from, Instant to, Instant now) {
    List<HourlyUsage> hours = new ArrayList<>();
    for (Instant hour = from.isBefore(MONTH_START) ? MONTH_START : from; hour.isBefore(to) && hour.isBefore(now); hour = hour.plusSeconds(3_600)) {
      long seconds = Math.min(3_600, now.getEpochSecond() - hour.getEpochSecond());
      for (int a = 0; a < ACCOUNTS; a++) {
        for (int i = 0; i < INSTANCES_PER_ACCOUNT; i++) {
          hours.add(new HourlyUsage(account(a), instance(a, i), UsageType.INSTANCE_SECONDS, "m1.small", hour, seconds, Map.of()));
        }
      }
    }
    return hours;
  }

  /** One 10-second sample of every instance's vNIC at {@code at}. */
  private static SampleBatchRecord samples(String batchId, Instant at) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    Map<String, String> owners = new HashMap<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      for (int i = 0; i < INSTANCES_PER_ACCOUNT; i++) {
        array.add(JsonNodeFactory.instance.objectNode().put("instanceId", instance(a, i)).put("mac", "52:54:00:00:00:01")
            .put("device", "vnet0").put("timestampMs", at.toEpochMilli()).put("intervalMs", 10_000)
            .put("rxBytes", 1_000 + i).put("rxPackets", 3).put("txBytes", 2_000 + a).put("txPackets", 4));
        owners.put(instance(a, i), account(a));
      }
    }
    return new SampleBatchRecord("nd-1", batchId, Instant.EPOCH, array, owners);
  }

  public static void main(String[] args) {
    CountingStore counting = new CountingStore();
    SystemMeteringStore store = new SystemMeteringStore(counting, () -> 1);
    // The month so far, hour by hour, as the passes before left it.
    LedgerWriter.Rows month = new LedgerWriter.Rows();
    for (Instant hour = MONTH_START; hour.isBefore(NOON); hour = hour.plusSeconds(3_600)) {
      for (int a = 0; a < ACCOUNTS; a++) {
        for (int i = 0; i < INSTANCES_PER_ACCOUNT; i++) {
          month.add(account(a), new AccountMonth.Row(instance(a, i), UsageType.INSTANCE_SECONDS, "m1.small", hour, 3_600));
          month.add(account(a), new AccountMonth.Row(instance(a, i), UsageType.NETWORK_IN, null, hour, 1_000_000_000L + hour.getEpochSecond() % 7_919 * i));
          month.add(account(a), new AccountMonth.Row(instance(a, i), UsageType.NETWORK_OUT, null, hour, 50_000_000L + hour.getEpochSecond() % 104_729 * a));
        }
      }
    }
    new LedgerWriter(store).write(month, NOON);
    UsageAggregator aggregator = new UsageAggregator(store, PassBytesReport::runTime, UsageAggregator.Settings.DEFAULTS);
    // A first pass: the hourly maintenance (sealing, where there is any) and the instances' first records.
    aggregator.fold(List.of(samples("warm", NOON.plusSeconds(10))), NOON.plusSeconds(15));
    counting.written.clear();

    UsageAggregator.Pass pass = aggregator.fold(List.of(samples("measured", NOON.plusSeconds(80))), NOON.plusSeconds(85));

    System.out.printf(Locale.ROOT, "one pass on %s: %d accounts x %d instances, a sample of each and the minute's instance-seconds%n",
        NOON.plusSeconds(85), ACCOUNTS, INSTANCES_PER_ACCOUNT);
    System.out.printf(Locale.ROOT, "%-24s %8s %14s %12s%n", "namespace", "records", "bytes", "B/record");
    long total = 0;
    for (Map.Entry<String, long[]> e : counting.written.entrySet()) {
      long[] c = e.getValue();
      total += c[1];
      System.out.printf(Locale.ROOT, "%-24s %8d %14d %12d%n", e.getKey(), c[0], c[1], c[1] / c[0]);
    }
    System.out.printf(Locale.ROOT, "%-24s %8s %14d%n", "total", "", total);
    System.out.printf(Locale.ROOT, "pass: %d points, %d ledgers written%n", pass.points(), pass.ledgersWritten());
  }
}
