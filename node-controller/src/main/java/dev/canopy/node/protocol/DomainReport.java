package dev.canopy.node.protocol;

/**
 * One domain as libvirt really runs it, in a heartbeat.
 *
 * @param state libvirt's view: "running", "paused", "shutoff", "crashed", "pmsuspended", "blocked", "shutdown", "nostate"
 */
public record DomainReport(String instanceId, String state) {}
