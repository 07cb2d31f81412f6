package dev.canopy.cloud.metering.usage;

import static dev.canopy.cloud.metering.usage.Batches.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.grid.CountingStore;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pass reads the records it folds into with one batch read per kind (the instances, then the
 * hours its points touch), not one read per instance-day: over the storage role's endpoint each
 * single read is a round trip, and a pass of a few thousand instance-days made that many in a row.
 * What it folds is the same as before: the ledger's hourly traffic is the sum of the points.
 */
class PassReadAheadTest {

  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");
  private static final int INSTANCES = 40;

  @TempDir Path dir;
  private LocalStore local;
  private CountingStore counting;
  private SystemMeteringStore store;
  private UsageAggregator aggregator;

  @BeforeEach
  void open() {
    local = LocalStore.open(dir.resolve("store"));
    local.put(EpochMint.MAP, EpochMint.KEY, "{\"epoch\":1}".getBytes(StandardCharsets.UTF_8));
    SystemStore fenced = new EpochFencedStore(local, EpochMint.MAP, EpochMint.KEY, SystemMeteringStore.NAMESPACES);
    counting = new CountingStore(fenced);
    store = new SystemMeteringStore(counting, () -> 1);
    aggregator = new UsageAggregator(store, (f, t, n) -> List.of(), UsageAggregator.Settings.DEFAULTS);
  }

  @AfterEach
  void close() {
    local.close();
  }

  @Test
  void aPassReadsItsInstancesAndHoursWithOneBatchReadEach() {
    // First pass: nothing stored yet, two hours of every instance.
    aggregator.fold(List.of(batch("1", 3_590, 100), batch("2", 3_610, 200)), TEN.plusSeconds(3_620));
    assertReads(0, 1);

    // Second pass: every instance and both hours are stored now, and read back in the same two reads.
    counting.singleReadsOf.clear();
    counting.batchReadsOf.clear();
    aggregator.fold(List.of(batch("3", 3_595, 40), batch("4", 3_620, 400)), TEN.plusSeconds(3_630));
    assertReads(0, 1);

    // The hours read back were merged into, not replaced: each hour holds both passes' points.
    AccountMonth month = store.monthWithOpenDays(ACME, YearMonth.of(2026, 12)).orElseThrow();
    assertThat(inOf(month, TEN)).isEqualTo(INSTANCES * (100L + 40));
    assertThat(inOf(month, TEN.plusSeconds(3_600))).isEqualTo(INSTANCES * (200L + 400));
  }

  /** Single and batch reads of the instance and hour namespaces since the counts were cleared. */
  private void assertReads(int single, int batch) {
    for (String namespace : List.of(SystemMeteringStore.INSTANCES, SystemMeteringStore.HOURS)) {
      assertThat(counting.singleReadsOf.getOrDefault(namespace, new AtomicInteger()).get()).as("single reads of " + namespace).isEqualTo(single);
      assertThat(counting.batchReadsOf.getOrDefault(namespace, new AtomicInteger()).get()).as("batch reads of " + namespace).isEqualTo(batch);
    }
  }

  private static long inOf(AccountMonth month, Instant hour) {
    return month.rows().stream().filter(r -> r.type() == UsageType.NETWORK_IN && r.hourStart().equals(hour))
        .mapToLong(AccountMonth.Row::quantity).sum();
  }

  /** One vNIC sample of every instance at {@code TEN + seconds}, {@code rx} bytes in. */
  private static SampleBatchRecord batch(String id, long seconds, long rx) {
    ArrayNode samples = JsonNodeFactory.instance.arrayNode();
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < INSTANCES; i++) {
      String instance = String.format("i-%017x", i);
      owners.put(instance, ACME);
      samples.add(JsonNodeFactory.instance.objectNode().put("instanceId", instance).put("mac", "52:54:00:00:00:0a")
          .put("device", "vnet0").put("timestampMs", TEN.plusSeconds(seconds).toEpochMilli()).put("intervalMs", 10_000)
          .put("rxBytes", rx).put("rxPackets", 1).put("txBytes", 1).put("txPackets", 1));
    }
    return new SampleBatchRecord("nd-1", id, Instant.EPOCH, samples, owners);
  }
}
