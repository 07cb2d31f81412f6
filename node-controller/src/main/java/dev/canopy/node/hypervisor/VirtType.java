package dev.canopy.node.hypervisor;

import java.util.Locale;

/**
 * The libvirt domain type: {@code kvm} (hardware virtualization) or {@code qemu} (TCG emulation).
 * Configurable because on some hosts /dev/kvm exists but real guests fail under it (DESIGN.md,
 * "The machine underneath").
 */
public enum VirtType {
  KVM,
  QEMU;

  /** The value of {@code <domain type="...">}. */
  public String libvirtName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static VirtType parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "kvm" -> KVM;
      case "qemu" -> QEMU;
      default -> throw new IllegalArgumentException("virtualization type must be kvm or qemu, not " + value);
    };
  }
}
