package dev.canopy.cloud.operatorapi;

import java.util.Map;

/**
 * What {@code GET /api/cloud} answers: the controllers, the lease, the grid, the storage ring and
 * the node agents, as the process that serves it knows them. Blocking (grid and network reads).
 */
@FunctionalInterface
public interface CloudOverview {
  Map<String, Object> describe();
}
