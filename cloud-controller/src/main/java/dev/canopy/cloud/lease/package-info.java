/**
 * Controller leadership by PaxosLease (PAXOSLEASE.md): a lease won from a majority of acceptors,
 * held for a bounded time on the holder's own monotonic clock, with no disk writes on the protocol
 * path.
 *
 * <p>Everything here is a pure core, {@code (state, message | timer, now) -> effects}: {@link
 * dev.canopy.cloud.lease.LeaseNode} composes one controller's {@link
 * dev.canopy.cloud.lease.Acceptor} (rules A0–A4), {@link dev.canopy.cloud.lease.Proposer} (P1–P6,
 * renewal, release with successor, backoff) and {@link dev.canopy.cloud.lease.Learner} (who holds
 * the lease, for reporting). {@link dev.canopy.cloud.lease.LeaseMessage} lists the messages, {@link
 * dev.canopy.cloud.lease.Effects} what a step asks the driver to do (sends, timers, holder
 * changes; a fresh acquisition is what mints a fencing epoch), {@link
 * dev.canopy.cloud.lease.LeaseConfig} the validated settings and the timing derived from them,
 * and {@link dev.canopy.cloud.lease.Ballot} the 64-bit ballot layout.
 *
 * <p>No thread, clock, socket or random source lives here: the driver passes clock readings in
 * ({@link dev.canopy.cloud.lease.LocalNow}), injects a seeded random generator for backoff
 * jitter, sends the messages over mutual TLS and sets the timers. The tests drive the same core
 * through a deterministic simulator (see docs/paxoslease.md).
 */
package dev.canopy.cloud.lease;
