/**
 * The node agent that drives libvirt on every KVM host, and the versioned agent protocol
 * (enroll, heartbeat, command/ack, sample batches) that the controller depends on. Nothing
 * lives here yet; the compute issue fills it.
 */
package dev.canopy.node;
