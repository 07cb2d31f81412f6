package dev.canopy.node.hypervisor;

import java.util.Locale;

/** libvirt's domain states, with the lower-case names heartbeats carry ({@code DomainReport.state}). */
public enum DomainState {
  NOSTATE,
  RUNNING,
  BLOCKED,
  PAUSED,
  SHUTDOWN,
  SHUTOFF,
  CRASHED,
  PMSUSPENDED;

  /** The name on the wire: "running", "shutoff", ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the domain has a live process (anything but shut off or crashed). */
  public boolean isActive() {
    return this != SHUTOFF && this != CRASHED && this != NOSTATE;
  }
}
