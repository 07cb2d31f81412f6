/**
 * Metering on the node: every interval (10 s) the agent reads each running guest's CPU time,
 * memory and per-vNIC traffic counters from libvirt, turns the counters into deltas
 * ({@link dev.canopy.node.metering.CounterDeltas}, pure), keeps the resulting batches in an
 * on-disk queue until a controller acknowledges them as stored
 * ({@link dev.canopy.node.metering.SampleQueue}) and ships them over the agent's session
 * ({@link dev.canopy.node.metering.MeteringLoop}, the Vert.x adapter).
 *
 * <p>The promise: a controller outage (or an agent restart) of up to the queue's bound loses no
 * sample and counts none twice. The baselines the deltas are taken against are stored in the same
 * file as the batch they produced; the controller stores each batch id once. The wire format of a
 * sample is in docs/agent-protocol.md ("sampleBatch payload").
 */
package dev.canopy.node.metering;
