/**
 * Fencing epochs (PAXOSLEASE.md, "Fencing"): the token that lets the grid and the node agents
 * refuse a controller that lost its lease but does not know it yet (a GC pause, a hypervisor
 * pause, a partition it has not noticed).
 *
 * <ul>
 *   <li>{@link dev.canopy.cloud.fencing.EpochMint} raises the epoch in the grid on each fresh
 *       lease acquisition, above any epoch an agent has reported, with one atomic, durable entry
 *       operation that a minority cannot perform.
 *   <li>{@link dev.canopy.cloud.fencing.FenceCheck} is the pure rule for when a minted epoch may
 *       be used: only while {@code now < deadline − fenceMargin}.
 *   <li>{@link dev.canopy.cloud.fencing.FencedTable} is a {@code Table} whose writes carry the
 *       writer's epoch and are refused ({@link dev.canopy.cloud.fencing.StaleEpochException}) when
 *       the entry was written with a newer one.
 * </ul>
 *
 * <p>Fenced maps are for state that only the lease holder writes and that a deposed holder could
 * corrupt: placements and instance records (which node runs what, and in what state), the
 * bookkeeping of commands sent to node agents (sent, acknowledged, retried), and what the
 * aggregator writes (usage, capacity, health rolled up from the agents). State that any
 * controller writes on behalf of an API caller (accounts, keys, buckets, tags) stays in plain
 * {@link dev.canopy.cloud.grid.JsonMap}s: every controller serves the API, not only the holder.
 *
 * <p>Every operation here fails with {@link dev.canopy.cloud.fencing.NoMajorityException} when
 * the controller's grid member sees no majority; the lease driver then releases the lease.
 */
package dev.canopy.cloud.fencing;
