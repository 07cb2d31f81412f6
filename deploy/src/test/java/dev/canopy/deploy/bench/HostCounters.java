package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The guests of one simulated host as its agent would read them: {@code guests} instances of one
 * vNIC each, with 64-bit cumulative counters that grow at a steady rate (with noise) and are reset
 * now and then (a re-created tap, a restarted guest). Each reading yields what a real agent sends:
 * per instance a CPU-time delta and a memory gauge, per vNIC rx/tx byte and packet deltas, where a
 * counter that went down counts its new value as the delta (docs/agent-protocol.md).
 */
final class HostCounters {

  /** Per vNIC and 10 s reading, about 1 MB/s received and 0.4 MB/s sent. */
  private static final long RX_BYTES_PER_READING = 10_000_000;
  private static final long TX_BYTES_PER_READING = 4_000_000;
  private static final long BYTES_PER_PACKET = 1_000;
  /** One vNIC reading in 2,000 finds its counters reset: a few per minute over 20,000 hosts. */
  private static final int RESET_ONE_IN = 2_000;

  private final String[] instanceIds;
  private final String[] macs;
  private final long[] rxBytes;
  private final long[] txBytes;
  private final long[] rxPackets;
  private final long[] txPackets;
  private final SplittableRandom random;
  private long resets;

  HostCounters(int host, int guests, long seed) {
    random = new SplittableRandom(seed ^ (host * 0x9E3779B97F4A7C15L));
    instanceIds = new String[guests];
    macs = new String[guests];
    rxBytes = new long[guests];
    txBytes = new long[guests];
    rxPackets = new long[guests];
    txPackets = new long[guests];
    for (int g = 0; g < guests; g++) {
      long n = (long) host * guests + g;
      instanceIds[g] = String.format("i-%017x", 0xc0000000000L + n);
      macs[g] = "52:54:00:" + HexFormat.ofDelimiter(":").formatHex(new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n});
      // Counters that have run for a long time: large 64-bit values, far above 2^32.
      rxBytes[g] = random.nextLong(1L << 40, 1L << 62);
      txBytes[g] = random.nextLong(1L << 40, 1L << 62);
      rxPackets[g] = rxBytes[g] / BYTES_PER_PACKET;
      txPackets[g] = txBytes[g] / BYTES_PER_PACKET;
    }
  }

  /** One reading at {@code timestampMs}, {@code intervalMs} after the previous one. */
  ArrayNode read(long timestampMs, long intervalMs) {
    ArrayNode samples = JsonNodeFactory.instance.arrayNode(instanceIds.length * 2);
    for (int g = 0; g < instanceIds.length; g++) {
      ObjectNode instance = samples.addObject();
      instance.put("instanceId", instanceIds[g]);
      instance.put("timestampMs", timestampMs);
      instance.put("intervalMs", intervalMs);
      instance.put("cpuTimeNanos", intervalMs * 1_000_000L * 3 / 10 + random.nextLong(1_000_000));
      instance.put("memoryKib", 1_048_576);
      long rx = noisy(RX_BYTES_PER_READING);
      long tx = noisy(TX_BYTES_PER_READING);
      boolean reset = random.nextInt(RESET_ONE_IN) == 0;
      if (reset) {
        resets++;
      }
      ObjectNode vnic = samples.addObject();
      vnic.put("instanceId", instanceIds[g]);
      vnic.put("mac", macs[g]);
      vnic.put("device", "vnet" + g);
      vnic.put("timestampMs", timestampMs);
      vnic.put("intervalMs", intervalMs);
      vnic.put("rxBytes", advance(rxBytes, g, rx, reset));
      vnic.put("rxPackets", advance(rxPackets, g, rx / BYTES_PER_PACKET, reset));
      vnic.put("txBytes", advance(txBytes, g, tx, reset));
      vnic.put("txPackets", advance(txPackets, g, tx / BYTES_PER_PACKET, reset));
    }
    return samples;
  }

  long resets() {
    return resets;
  }

  private long noisy(long mean) {
    return mean - mean / 10 + random.nextLong(mean / 5);
  }

  /** Moves one cumulative counter on and returns the delta the agent computes from it. */
  private static long advance(long[] counters, int g, long by, boolean reset) {
    long before = counters[g];
    long after = reset ? by : before + by;
    counters[g] = after;
    return after >= before ? after - before : after;
  }
}
