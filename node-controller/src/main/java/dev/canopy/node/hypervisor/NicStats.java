package dev.canopy.node.hypervisor;

import java.util.Objects;

/**
 * One vNIC's cumulative traffic counters, named from the guest's point of view: {@code rx} is what
 * the guest received, {@code tx} what it sent. (libvirt already swaps the host tap's counters for
 * network and bridge interfaces, so its {@code rx_bytes} is the guest's receive count.)
 *
 * <p>The counters start at 0 when the tap is created and only grow while it lives; a lower value
 * than before means the tap was re-created (the guest was restarted or the NIC re-plugged).
 *
 * @param device the host-side tap ({@code <target dev>}, e.g. {@code vnet3})
 * @param macAddress the guest NIC's MAC, which stays the same across tap re-creation
 */
public record NicStats(String device, String macAddress, long rxBytes, long rxPackets, long txBytes, long txPackets) {

  public NicStats {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(macAddress, "macAddress");
    if (rxBytes < 0 || rxPackets < 0 || txBytes < 0 || txPackets < 0) {
      throw new IllegalArgumentException("counters are never negative: " + device);
    }
  }
}
