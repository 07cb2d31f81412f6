package dev.canopy.cloud.metering.usage.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Sample batches as a fleet of node agents sends them (docs/agent-protocol.md, "sampleBatch
 * payload"): every 10 s each node sends one batch holding one reading of each of its instances, an
 * instance sample (CPU) and one vNIC sample per vNIC (every other instance has two). Values are busy,
 * seeded random traffic. Each instance belongs to one of {@link #ACCOUNTS} accounts.
 */
final class AgentFleet {

  static final int NODES = 50;
  static final int INSTANCES_PER_NODE = 20;
  static final int ACCOUNTS = 100;
  /** Samples per batch: 20 instance samples and 30 vNIC samples. */
  static final int SAMPLES_PER_BATCH = INSTANCES_PER_NODE + INSTANCES_PER_NODE * 3 / 2;
  static final long INTERVAL_SECONDS = 10;

  private static final JsonNodeFactory NODES_JSON = JsonNodeFactory.instance;

  private final Instant start;
  private final SplittableRandom random = new SplittableRandom(42);

  /** @param start the first reading's time less one interval: readings are stamped start + 10 s × (n + 1) */
  AgentFleet(Instant start) {
    this.start = start;
  }

  /** Made once: formatting them for every batch was a third of the benchmark thread's time (outside the score). */
  private static final String[] INSTANCE_IDS = new String[NODES * INSTANCES_PER_NODE];
  private static final String[] ACCOUNT_IDS = new String[NODES * INSTANCES_PER_NODE];
  private static final String[] MACS = new String[NODES * INSTANCES_PER_NODE * 2];

  static {
    for (int n = 0; n < NODES * INSTANCES_PER_NODE; n++) {
      INSTANCE_IDS[n] = String.format("i-%017x", n);
      ACCOUNT_IDS[n] = String.format("%012d", n % ACCOUNTS);
      for (int nic = 0; nic < 2; nic++) {
        MACS[2 * n + nic] = String.format("52:54:00:%02x:%02x:%02x", n / INSTANCES_PER_NODE, n % INSTANCES_PER_NODE, nic);
      }
    }
  }

  static String instanceId(int node, int instance) {
    return INSTANCE_IDS[node * INSTANCES_PER_NODE + instance];
  }

  static String accountId(int node, int instance) {
    return ACCOUNT_IDS[node * INSTANCES_PER_NODE + instance];
  }

  static String mac(int node, int instance, int nic) {
    return MACS[2 * (node * INSTANCES_PER_NODE + instance) + nic];
  }

  /** When reading {@code n} (from 0) was taken. */
  Instant readingTime(long n) {
    return start.plusSeconds(INTERVAL_SECONDS * (n + 1));
  }

  /** Readings {@code [first, first + count)} of every node, a batch per node and reading, reading by reading. */
  List<SampleBatchRecord> batches(long first, int count) {
    List<SampleBatchRecord> batches = new ArrayList<>(count * NODES);
    for (long n = first; n < first + count; n++) {
      for (int node = 0; node < NODES; node++) {
        batches.add(batch(node, n));
      }
    }
    return batches;
  }

  private SampleBatchRecord batch(int node, long reading) {
    long timestampMs = readingTime(reading).toEpochMilli();
    ArrayNode samples = NODES_JSON.arrayNode();
    Map<String, String> owners = new TreeMap<>();
    for (int i = 0; i < INSTANCES_PER_NODE; i++) {
      String id = instanceId(node, i);
      owners.put(id, accountId(node, i));
      samples.add(sample(id, timestampMs).put("cpuTimeNanos", random.nextLong(10_000_000_000L)).put("memoryKib", 524_288));
      for (int nic = 0; nic < 1 + i % 2; nic++) {
        long rx = random.nextLong(1_250_000_000L);
        long tx = random.nextLong(1_250_000_000L);
        samples.add(sample(id, timestampMs).put("mac", mac(node, i, nic))
            .put("device", "vnet" + nic).put("rxBytes", rx).put("rxPackets", rx / 1_400).put("txBytes", tx).put("txPackets", tx / 1_400));
      }
    }
    return new SampleBatchRecord("nd-" + node, reading + "-" + node, readingTime(reading), samples, owners);
  }

  private static ObjectNode sample(String instanceId, long timestampMs) {
    return NODES_JSON.objectNode().put("instanceId", instanceId).put("timestampMs", timestampMs).put("intervalMs", 10_000);
  }
}
