package dev.canopy.cloud.scheduler;

/**
 * A node as the scheduler sees it.
 *
 * @param total what the node offers to instances in all (from its heartbeats or config)
 * @param available false while the node is not heart-beating: nothing new is placed there
 */
public record NodeInfo(String nodeId, String zone, Capacity total, boolean available) {}
