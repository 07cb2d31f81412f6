package dev.canopy.cloud.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.usage.StoredUsage;
import dev.canopy.cloud.metering.usage.UsageAggregator;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader change in the middle of ingest, on a real local store behind the storage side's epoch
 * fence: the first holder folds part of the batches and dies before forgetting them, the next one
 * folds everything, and the first, waking up, can write nothing. Every byte counts exactly once.
 */
class MeteringFailoverTest {

  private static final String ACME = "111122223333";
  private static final String VM = "i-0000000000000000a";
  private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

  @TempDir Path dir;

  @Test
  void noSampleIsLostOrCountedTwiceAcrossAFailover() {
    try (LocalStore local = LocalStore.open(dir.resolve("store"))) {
      SystemStore fenced = new EpochFencedStore(local, EpochMint.MAP, EpochMint.KEY, SystemMeteringStore.NAMESPACES);
      InstantSource clock = InstantSource.fixed(START.plusSeconds(7200));
      MeteringService batches = new MeteringService(new InMemoryTable<SampleBatchRecord>(), id -> Optional.of(ACME), clock);
      Random random = new Random(7);
      long sent = 0;
      for (int b = 1; b <= 60; b++) {
        long rx = random.nextInt(1_000_000);
        sent += rx;
        batches.ingest(batch(b, rx));
      }

      mint(local, 1);
      UsageAggregator first = new UsageAggregator(new SystemMeteringStore(fenced, () -> 1), (f, t, n) -> List.of(),
          UsageAggregator.Settings.DEFAULTS);
      List<SampleBatchRecord> firstShare = batches.unfolded(25);
      first.fold(firstShare, clock.instant());
      // The first holder dies here: its batches were folded but never forgotten.

      mint(local, 2);
      UsageAggregator second = new UsageAggregator(new SystemMeteringStore(fenced, () -> 2), (f, t, n) -> List.of(),
          UsageAggregator.Settings.DEFAULTS);
      List<SampleBatchRecord> all = batches.unfolded(1_000);
      assertThat(all).hasSize(60);
      UsageAggregator.Pass pass = second.fold(all, clock.instant());
      batches.forget(all);
      assertThat(pass.duplicates()).isEqualTo(25 * 4);

      // The first holder wakes up and folds a batch that arrived meanwhile: refused, nothing written;
      // the batch stays for the holder, which counts it once.
      batches.ingest(batch(61, 5_000));
      sent += 5_000;
      List<SampleBatchRecord> late = batches.unfolded(1_000);
      assertThatThrownBy(() -> first.fold(late, clock.instant().plusSeconds(5)))
          .isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
      second.fold(late, clock.instant().plusSeconds(10));
      batches.forget(late);

      StoredUsage usage = new StoredUsage(new SystemMeteringStore(fenced, () -> 2), batches, InstanceOwners.NONE);
      long billed = usage.month(ACME, YearMonth.of(2026, 12)).usage().stream()
          .filter(u -> u.type() == UsageType.NETWORK_IN).mapToLong(u -> u.quantity()).sum();
      assertThat(billed).isEqualTo(sent);
      assertThat(batches.unfolded(1_000)).isEmpty();
    }
  }

  /** The agent's {@code n}th reading: one vNIC sample {@code n} × 10 s after the start. */
  private static SampleBatch batch(int n, long rxBytes) {
    ArrayNode samples = JsonNodeFactory.instance.arrayNode();
    samples.add(JsonNodeFactory.instance.objectNode().put("instanceId", VM).put("mac", "52:54:00:00:00:0a").put("device", "vnet0")
        .put("timestampMs", START.plusSeconds(10L * n).toEpochMilli()).put("intervalMs", 10_000)
        .put("rxBytes", rxBytes).put("rxPackets", 1).put("txBytes", 0).put("txPackets", 0));
    return new SampleBatch("nd-1", n + "-aaaa", samples);
  }

  private static void mint(LocalStore local, long epoch) {
    local.put(EpochMint.MAP, EpochMint.KEY, ("{\"epoch\":" + epoch + "}").getBytes(StandardCharsets.UTF_8));
  }
}
