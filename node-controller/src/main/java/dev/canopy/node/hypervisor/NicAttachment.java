package dev.canopy.node.hypervisor;

import java.util.Objects;

/**
 * Where an instance's virtio NIC is plugged: a libvirt network ({@code <interface type="network">})
 * or a host bridge ({@code <interface type="bridge">}).
 */
public record NicAttachment(Kind kind, String name) {

  public enum Kind {
    NETWORK,
    BRIDGE
  }

  public NicAttachment {
    Objects.requireNonNull(kind, "kind");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a NIC attachment needs a network or bridge name");
    }
  }

  public static NicAttachment network(String name) {
    return new NicAttachment(Kind.NETWORK, name);
  }

  public static NicAttachment bridge(String name) {
    return new NicAttachment(Kind.BRIDGE, name);
  }
}
