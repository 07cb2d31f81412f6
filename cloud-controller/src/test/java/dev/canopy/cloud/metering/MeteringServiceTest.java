package dev.canopy.cloud.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.grid.InMemoryTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The metering store's promises, on an in-memory table that can fail its writes like a full disk. */
class MeteringServiceTest {

  private static final String VM_A = "i-0000000000000000a";
  private static final String VM_B = "i-0000000000000000b";
  private static final String ACME = "111122223333";
  private static final String GLOBEX = "444455556666";

  private final InMemoryTable<SampleBatchRecord> table = new InMemoryTable<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Map<String, String> instanceRecords = new ConcurrentHashMap<>(Map.of(VM_A, ACME, VM_B, GLOBEX));
  private final MeteringService metering =
      new MeteringService(table, id -> Optional.ofNullable(instanceRecords.get(id)), clock);

  @Test
  void samplesComeOldestFirstWhateverOrderTheirBatchesArrivedIn() {
    // Node 2's late batch arrives first; node 1 resends an old batch after a newer one.
    metering.ingest(batch("nd-2", "7-aa", sample(VM_A, 30_000, 3), sample(VM_A, 40_000, 4)));
    metering.ingest(batch("nd-1", "2-bb", sample(VM_A, 20_000, 2)));
    metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 1), sample(VM_B, 10_000, 99)));

    assertThat(rxOf(metering.ofInstance(VM_A, TimeRange.ALL))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aResentBatchIsStoredOnceAndReportedAsARepeat() {
    SampleBatch first = batch("nd-1", "1-cc", sample(VM_A, 10_000, 5));
    assertThat(metering.ingest(first)).isTrue();
    clock.advance(Duration.ofMinutes(3));
    assertThat(metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 5)))).as("a resend").isFalse();

    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get("nd-1/1-cc").orElseThrow().receivedAt()).as("the first arrival counts").isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(rxOf(metering.ofInstance(VM_A, TimeRange.ALL))).containsExactly(5L);
  }

  @Test
  void theSameBatchIdFromAnotherNodeIsAnotherBatch() {
    assertThat(metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 1)))).isTrue();
    assertThat(metering.ingest(batch("nd-2", "1-cc", sample(VM_A, 11_000, 2)))).isTrue();

    assertThat(rxOf(metering.ofInstance(VM_A, TimeRange.ALL))).containsExactly(1L, 2L);
  }

  @Test
  void aRangeIncludesItsStartAndExcludesItsEnd() {
    metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 1), sample(VM_A, 20_000, 2), sample(VM_A, 30_000, 3)));

    assertThat(rxOf(metering.ofInstance(VM_A, new TimeRange(10_000, 30_000)))).containsExactly(1L, 2L);
    assertThat(rxOf(metering.ofInstance(VM_A, new TimeRange(10_001, 30_001)))).containsExactly(2L, 3L);
    assertThat(metering.ofInstance(VM_A, new TimeRange(40_000, 50_000)).samples()).isEmpty();
    assertThatThrownBy(() -> new TimeRange(5, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAccountGetsTheSamplesOfTheInstancesItOwnedWhenTheyWereStored() {
    metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 1), sample(VM_B, 10_000, 50)));
    // The instance record is gone (terminated long ago): what was stored stays the owner's.
    instanceRecords.remove(VM_A);
    metering.ingest(batch("nd-1", "2-cc", sample(VM_A, 20_000, 2), sample(VM_B, 20_000, 60)));

    assertThat(rxOf(metering.ofAccount(ACME, TimeRange.ALL))).containsExactly(1L);
    assertThat(rxOf(metering.ofAccount(GLOBEX, TimeRange.ALL))).containsExactly(50L, 60L);
    assertThat(rxOf(metering.ofAccount(GLOBEX, new TimeRange(15_000, 25_000)))).containsExactly(60L);
    assertThat(metering.ofAccount("999999999999", TimeRange.ALL).samples()).isEmpty();
    assertThat(rxOf(metering.ofInstance(VM_A, TimeRange.ALL))).as("the instance still has both").containsExactly(1L, 2L);
  }

  @Test
  void aStoreFailureStoresNothingAndThrowsSoTheBatchIsNotAcknowledged() {
    table.failWrites(true);
    assertThatThrownBy(() -> metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 1))))
        .hasMessageContaining("durable write failure");
    assertThat(metering.ofInstance(VM_A, TimeRange.ALL).samples()).isEmpty();

    table.failWrites(false);
    assertThat(metering.ingest(batch("nd-1", "1-cc", sample(VM_A, 10_000, 1)))).as("the resend is stored, not a repeat").isTrue();
    assertThat(rxOf(metering.ofInstance(VM_A, TimeRange.ALL))).containsExactly(1L);
  }

  @Test
  void anAnswerHoldsTheEarliestSamplesAndSaysWhenItLeftSomeOut() {
    int total = MeteringService.SAMPLES_PER_QUERY_MAX + 5;
    // Newest first in the batch, so the cut cannot rely on arrival order.
    SampleBatch many = batch("nd-1", "1-cc", java.util.stream.IntStream.range(0, total)
        .mapToObj(i -> sample(VM_A, 1_000L * (total - i), total - i)).toArray(JsonNode[]::new));
    metering.ingest(many);

    SamplePage page = metering.ofInstance(VM_A, TimeRange.ALL);
    assertThat(page.truncated()).isTrue();
    assertThat(page.samples()).hasSize(MeteringService.SAMPLES_PER_QUERY_MAX);
    assertThat(rxOf(page).get(0)).isEqualTo(1L);
    assertThat(rxOf(page).get(MeteringService.SAMPLES_PER_QUERY_MAX - 1)).isEqualTo(MeteringService.SAMPLES_PER_QUERY_MAX);
    assertThat(metering.ofInstance(VM_A, new TimeRange(1_000, 3_000)).truncated()).isFalse();
  }

  @Test
  void aBatchWithoutAUsableIdOrSamplesArrayIsRefusedBeforeAnythingIsStored() {
    ArrayNode samples = JsonNodeFactory.instance.arrayNode();
    assertThatThrownBy(() -> new SampleBatch("nd-1", "", samples)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SampleBatch("nd-1", "a/b", samples)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SampleBatch("nd-1", "1-cc", JsonNodeFactory.instance.objectNode())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SampleBatch("nd-1", "1-cc", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void samplesWithoutAnInstanceOrATimestampAreKeptButMatchNothing() {
    metering.ingest(batch("nd-1", "1-cc", JsonNodeFactory.instance.objectNode().put("rxBytes", 7),
        JsonNodeFactory.instance.objectNode().put("instanceId", VM_A).put("timestampMs", "soon"), sample(VM_A, 10_000, 1)));

    assertThat(table.size()).isEqualTo(1);
    assertThat(rxOf(metering.ofInstance(VM_A, TimeRange.ALL))).containsExactly(1L);
  }

  private static SampleBatch batch(String nodeId, String batchId, JsonNode... samples) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (JsonNode sample : samples) {
      array.add(sample);
    }
    return new SampleBatch(nodeId, batchId, array);
  }

  /** A vNIC sample as the agent sends it (docs/agent-protocol.md); rxBytes tells samples apart. */
  private static JsonNode sample(String instanceId, long timestampMs, long rxBytes) {
    return JsonNodeFactory.instance.objectNode().put("instanceId", instanceId).put("mac", "52:54:00:00:0a:01").put("device", "vnet0")
        .put("timestampMs", timestampMs).put("intervalMs", 10_000).put("rxBytes", rxBytes).put("rxPackets", 1)
        .put("txBytes", 0).put("txPackets", 0);
  }

  private static List<Long> rxOf(SamplePage page) {
    return page.samples().stream().map(s -> s.path("rxBytes").asLong()).toList();
  }
}
