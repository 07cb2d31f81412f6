package dev.canopy.node.hypervisor;

import java.util.Objects;

/**
 * Where an instance's virtio NIC is plugged: a libvirt network ({@code <interface type="network">})
 * or a host bridge ({@code <interface type="bridge">}); and, on networks the agent manages, the
 * nwfilter guarding it and the address that filter pins the guest to.
 *
 * @param filter the nwfilter's name, or null for no host firewall
 * @param ipAddress the guest's address, passed to the filter as its {@code IP} parameter (clean-traffic
 *     drops packets from any other source); null when there is no filter
 */
public record NicAttachment(Kind kind, String name, String filter, String ipAddress) {

  public enum Kind {
    NETWORK,
    BRIDGE
  }

  public NicAttachment {
    Objects.requireNonNull(kind, "kind");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a NIC attachment needs a network or bridge name");
    }
    if (filter != null && ipAddress == null) {
      throw new IllegalArgumentException("a filtered NIC needs the guest's address");
    }
  }

  public static NicAttachment network(String name) {
    return new NicAttachment(Kind.NETWORK, name, null, null);
  }

  public static NicAttachment bridge(String name) {
    return new NicAttachment(Kind.BRIDGE, name, null, null);
  }

  /** The same attachment guarded by {@code filterName}, for the guest at {@code address}. */
  public NicAttachment filtered(String filterName, String address) {
    return new NicAttachment(kind, name, filterName, address);
  }
}
