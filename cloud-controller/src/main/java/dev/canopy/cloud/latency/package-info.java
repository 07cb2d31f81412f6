/**
 * Latency as each controller measures it, in the spirit of WhyHigh: heartbeat round trips to each
 * agent (a WebSocket ping per heartbeat), commands to each agent until their ack, and API requests
 * by client network. Each controller keeps rolling histograms ({@link dev.canopy.cloud.latency.RollingLatencies})
 * and publishes them to the grid every few seconds ({@link dev.canopy.cloud.latency.LatencyRecorder}),
 * so any controller can rank the nodes ({@link dev.canopy.cloud.latency.LatencyRanking}, pure: each
 * node's median and p90 over its zone's, with the likely cause).
 */
package dev.canopy.cloud.latency;
