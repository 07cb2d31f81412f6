package dev.canopy.node.metering;

import java.util.Map;
import java.util.Objects;

/**
 * The last counter values seen per instance and per NIC (by MAC): what the next reading's deltas
 * are taken against. Persisted with every batch (see {@link SampleQueue}) so a restarted agent
 * continues where the stored batches end, neither re-counting nor dropping anything.
 *
 * @param guests by instance id
 */
public record Baselines(Map<String, Guest> guests) {

  public static final Baselines EMPTY = new Baselines(Map.of());

  public Baselines {
    guests = Map.copyOf(guests);
  }

  /**
   * One instance's last reading.
   *
   * @param atMs when it was read (wall clock); the next sample's interval starts here
   * @param nics by MAC (lower case)
   */
  public record Guest(long atMs, long cpuTimeNanos, Map<String, Nic> nics) {
    public Guest {
      nics = Map.copyOf(nics);
    }
  }

  /** One NIC's last counters and the tap they were read from. */
  public record Nic(String device, long rxBytes, long rxPackets, long txBytes, long txPackets) {
    public Nic {
      Objects.requireNonNull(device, "device");
    }
  }
}
