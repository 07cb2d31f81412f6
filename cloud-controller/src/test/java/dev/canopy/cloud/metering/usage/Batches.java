package dev.canopy.cloud.metering.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Sample batches as a node agent sends them and a controller stores them, for the metering tests. */
final class Batches {

  static final String ACME = "111122223333";
  static final String VM = "i-0000000000000000a";
  static final String MAC = "52:54:00:00:00:0a";

  private Batches() {}

  /** The usage queries on {@code store}, with no batch left unfolded. */
  static StoredUsage usage(MeteringStore store) {
    return new StoredUsage(store, new MeteringService(new InMemoryTable<SampleBatchRecord>(), InstanceOwners.NONE, Clock.systemUTC()),
        InstanceOwners.NONE);
  }

  /** A vNIC sample of {@link #VM}, owned by {@link #ACME}. */
  static ObjectNode nic(long timestampMs, long rxBytes, long txBytes) {
    return JsonNodeFactory.instance.objectNode().put("instanceId", VM).put("mac", MAC).put("device", "vnet0")
        .put("timestampMs", timestampMs).put("intervalMs", 10_000)
        .put("rxBytes", rxBytes).put("rxPackets", rxBytes / 1000).put("txBytes", txBytes).put("txPackets", txBytes / 1000);
  }

  static ObjectNode cpu(long timestampMs, long cpuTimeNanos) {
    return JsonNodeFactory.instance.objectNode().put("instanceId", VM).put("timestampMs", timestampMs).put("intervalMs", 10_000)
        .put("cpuTimeNanos", cpuTimeNanos).put("memoryKib", 524_288);
  }

  static SampleBatchRecord batch(String batchId, ObjectNode... samples) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (ObjectNode s : samples) {
      array.add(s);
    }
    return new SampleBatchRecord("nd-1", batchId, Instant.EPOCH, array, Map.of(VM, ACME));
  }
}
