package dev.canopy.node.metering;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One metering sample: what one instance (CPU, memory) or one of its vNICs (traffic) did during
 * the interval that ended at {@code timestampMs}. Traffic is named from the instance's point of
 * view: {@code rx} is what the instance received. Counters are deltas over the interval; memory is
 * a gauge at its end.
 *
 * <p>Two kinds share the record: an instance sample has {@code mac == null} and carries
 * {@code cpuTimeNanos} and {@code memoryKib} (traffic fields 0); a NIC sample names the NIC and
 * carries the four traffic deltas (CPU and memory 0). {@link #toJson} writes only the kind's own
 * fields, as docs/agent-protocol.md describes.
 *
 * @param device the host tap the counters were read from (changes when the tap is re-created; the MAC does not)
 * @param intervalMs since this instance's previous reading; longer than the metering interval after a
 *     skipped reading, whose traffic the delta then includes
 */
public record Sample(
    String instanceId,
    String mac,
    String device,
    long timestampMs,
    long intervalMs,
    long rxBytes,
    long rxPackets,
    long txBytes,
    long txPackets,
    long cpuTimeNanos,
    long memoryKib) {

  public Sample {
    Objects.requireNonNull(instanceId, "instanceId");
    if ((mac == null) != (device == null)) {
      throw new IllegalArgumentException("a NIC sample names both MAC and device; an instance sample neither");
    }
    if (intervalMs < 0 || rxBytes < 0 || rxPackets < 0 || txBytes < 0 || txPackets < 0 || cpuTimeNanos < 0 || memoryKib < 0) {
      throw new IllegalArgumentException("deltas, interval and memory are never negative: " + instanceId);
    }
  }

  static Sample instance(String instanceId, long timestampMs, long intervalMs, long cpuTimeNanos, long memoryKib) {
    return new Sample(instanceId, null, null, timestampMs, intervalMs, 0, 0, 0, 0, cpuTimeNanos, memoryKib);
  }

  static Sample nic(String instanceId, String mac, String device, long timestampMs, long intervalMs,
      long rxBytes, long rxPackets, long txBytes, long txPackets) {
    return new Sample(instanceId, mac, device, timestampMs, intervalMs, rxBytes, rxPackets, txBytes, txPackets, 0, 0);
  }

  public boolean isNic() {
    return mac != null;
  }

  /** The wire form: only this kind's fields. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("instanceId", instanceId);
    if (isNic()) {
      o.put("mac", mac).put("device", device);
    }
    o.put("timestampMs", timestampMs).put("intervalMs", intervalMs);
    if (isNic()) {
      o.put("rxBytes", rxBytes).put("rxPackets", rxPackets).put("txBytes", txBytes).put("txPackets", txPackets);
    } else {
      o.put("cpuTimeNanos", cpuTimeNanos).put("memoryKib", memoryKib);
    }
    return o;
  }
}
