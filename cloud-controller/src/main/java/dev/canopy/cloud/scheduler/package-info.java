/**
 * The scheduler: which node runs an instance. {@link dev.canopy.cloud.scheduler.Placement} is
 * the pure rule (filters, then spread or pack weights, ties broken by an injected random);
 * {@link dev.canopy.cloud.scheduler.CapacityLedger} accounts reservations on the grid with
 * compare-and-set so concurrent launches never over-commit a node;
 * {@link dev.canopy.cloud.scheduler.PlacementBatcher} groups concurrent launches so one pass places
 * many; {@link dev.canopy.cloud.scheduler.Scheduler} ties them together. {@link
 * dev.canopy.cloud.scheduler.Nodes}, {@link dev.canopy.cloud.scheduler.NodeCommands} and {@link
 * dev.canopy.cloud.leadership.Leadership} are what the scheduler needs from the agent transport
 * and the leadership service; the assembly adapts them.
 */
package dev.canopy.cloud.scheduler;
