/**
 * The adapter that runs the pure PaxosLease core ({@link dev.canopy.cloud.lease}) between real
 * controller processes.
 *
 * <p>{@link dev.canopy.cloud.lease.net.LeaseService} owns one {@link dev.canopy.cloud.lease.LeaseNode}
 * and makes every call into it on one Vert.x context, reading injected clocks ({@link
 * dev.canopy.cloud.lease.net.LeaseClocks}), turning timer requests into Vert.x timers, detecting a
 * suspend of the machine ({@link dev.canopy.cloud.lease.net.SuspendDetector}) and reporting {@link
 * dev.canopy.cloud.lease.net.LeaseStatus} (rendered for {@code GET /lease} by {@link
 * dev.canopy.cloud.lease.net.LeaseStatusJson}). It reaches the other controllers through a {@link
 * dev.canopy.cloud.lease.net.LeaseChannel}, which promises neither delivery nor order.
 *
 * <p>{@link dev.canopy.cloud.lease.net.LeaseTransport} is the real channel: the lease port 8776,
 * mutual TLS with certificates of role controller from the cloud's CA ({@code
 * canopy:controller:<node id>}), one dialled connection per peer ({@link
 * dev.canopy.cloud.lease.net.PeerLink}, bounded reconnect backoff), length-prefixed frames of at
 * most 64 KiB ({@link dev.canopy.cloud.lease.net.Frames}) holding JSON ({@link
 * dev.canopy.cloud.lease.net.LeaseCodec}, strict), and a gate that drops a message whose claimed
 * sender is not the certified one ({@link dev.canopy.cloud.lease.net.MessageGate}).
 *
 * <p>{@link dev.canopy.cloud.lease.net.IncarnationCounter} is the lease's only disk write: the
 * ballot incarnation, bumped and fsynced once per process start.
 */
package dev.canopy.cloud.lease.net;
