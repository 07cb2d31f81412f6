/**
 * The node's own metrics, collectl-style: every 10 s the agent reads {@code /proc/stat},
 * {@code /proc/meminfo}, {@code /proc/diskstats} and {@code /proc/net/dev} through an injected
 * {@link dev.canopy.node.hostmetrics.ProcFiles}, parses them ({@link dev.canopy.node.hostmetrics.ProcParsers},
 * pure), turns two readings' counters into rates ({@link dev.canopy.node.hostmetrics.HostRates}: a
 * device seen for the first time or whose counter was reset has no rate for that interval; a 32-bit
 * counter that wrapped is counted across the wrap) and ships the samples to a controller over the
 * agent's session ({@link dev.canopy.node.hostmetrics.HostMetricsLoop}, the Vert.x adapter).
 *
 * <p>Unlike guest metering, nothing here is billed: samples wait in memory (an hour's worth at most)
 * until a controller acknowledges them, and an agent restart loses what was not sent yet.
 */
package dev.canopy.node.hostmetrics;
