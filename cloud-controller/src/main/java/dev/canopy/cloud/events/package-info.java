/**
 * The event log: a bounded journal of domain events (instance state transitions, account and key
 * changes, node agents, the lease holder) kept in grid tables, each with a gap-free sequence a
 * reader resumes after. Pure domain over {@link dev.canopy.cloud.grid.Table}s: no grid or HTTP types.
 */
package dev.canopy.cloud.events;
