package dev.canopy.node.metering;

import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.NicStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns cumulative counters into deltas. Pure: {@code (baselines, readings, nowMs) → (samples,
 * new baselines)}; the caller commits the new baselines only once the samples are stored, so a
 * reading that could not be stored is simply covered by the next one.
 *
 * <p>The rules:
 * <ul>
 *   <li>An instance or NIC seen for the first time gives no sample; its values become the baseline.
 *       (Its traffic before that reading is not counted: the counters could be hours old.)
 *   <li>A counter that went down was reset (the tap was re-created, the guest's qemu restarted):
 *       the new value is the delta, since the new counter started at 0.
 *   <li>An instance missing from a reading (shut off, or skipped because libvirt failed on it) keeps
 *       its baseline for {@link #ABSENT_RETENTION_MS}; when it returns, its delta covers the gap.
 * </ul>
 */
public final class CounterDeltas {

  /** How long a missing instance's baseline is kept: long enough for a stop and start. */
  public static final long ABSENT_RETENTION_MS = 24L * 3600 * 1000;
  /** More instances than a node runs; readings beyond it are a bug in the caller. */
  public static final int GUESTS_MAX = 4_096;

  /** What one reading produced. */
  public record Step(List<Sample> samples, Baselines after) {
    public Step {
      samples = List.copyOf(samples);
    }
  }

  private CounterDeltas() {}

  /**
   * @param readings by instance id, what libvirt reported at {@code nowMs}
   */
  public static Step advance(Baselines before, Map<String, GuestStats> readings, long nowMs) {
    if (readings.size() > GUESTS_MAX) {
      throw new IllegalArgumentException(readings.size() + " instances in one reading; at most " + GUESTS_MAX);
    }
    List<Sample> samples = new ArrayList<>();
    Map<String, Baselines.Guest> after = new HashMap<>();
    // Sorted so that the same input always gives the same batch.
    for (Map.Entry<String, GuestStats> e : new TreeMap<>(readings).entrySet()) {
      String instanceId = e.getKey();
      GuestStats now = e.getValue();
      Baselines.Guest prev = before.guests().get(instanceId);
      Map<String, Baselines.Nic> nics = new HashMap<>();
      // The wall clock may step back (NTP); an interval is never negative.
      long intervalMs = prev == null ? 0 : Math.max(0, nowMs - prev.atMs());
      if (prev != null) {
        samples.add(Sample.instance(instanceId, nowMs, intervalMs, delta(prev.cpuTimeNanos(), now.cpuTimeNanos()), now.memoryKib()));
      }
      for (NicStats nic : now.nics()) {
        String mac = nic.macAddress().toLowerCase(Locale.ROOT);
        Baselines.Nic current = new Baselines.Nic(nic.device(), nic.rxBytes(), nic.rxPackets(), nic.txBytes(), nic.txPackets());
        if (nics.put(mac, current) != null) {
          throw new IllegalArgumentException("instance " + instanceId + " lists MAC " + mac + " twice; libvirt never does");
        }
        Baselines.Nic last = prev == null ? null : prev.nics().get(mac);
        if (last != null) {
          samples.add(Sample.nic(instanceId, mac, nic.device(), nowMs, intervalMs,
              delta(last.rxBytes(), nic.rxBytes()), delta(last.rxPackets(), nic.rxPackets()),
              delta(last.txBytes(), nic.txBytes()), delta(last.txPackets(), nic.txPackets())));
        }
      }
      after.put(instanceId, new Baselines.Guest(nowMs, now.cpuTimeNanos(), nics));
    }
    keepAbsent(before, after, nowMs);
    return new Step(samples, new Baselines(after));
  }

  /** The increase from {@code last} to {@code now}; a counter that went down restarted at 0. */
  static long delta(long last, long now) {
    return now >= last ? now - last : now;
  }

  /** Carries missing instances' baselines over, newest first, within the retention and the bound. */
  private static void keepAbsent(Baselines before, Map<String, Baselines.Guest> after, long nowMs) {
    List<Map.Entry<String, Baselines.Guest>> absent = before.guests().entrySet().stream()
        .filter(e -> !after.containsKey(e.getKey()) && nowMs - e.getValue().atMs() <= ABSENT_RETENTION_MS)
        .sorted(Comparator.comparingLong((Map.Entry<String, Baselines.Guest> e) -> e.getValue().atMs()).reversed())
        .toList();
    for (Map.Entry<String, Baselines.Guest> e : absent) {
      if (after.size() >= GUESTS_MAX) {
        break;
      }
      after.put(e.getKey(), e.getValue());
    }
  }
}
