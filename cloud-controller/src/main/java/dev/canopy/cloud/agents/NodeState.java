package dev.canopy.cloud.agents;

/**
 * A node's availability.
 *
 * <pre>
 * from         event                                   to
 * (enrolled)   enrollment                              UNAVAILABLE (no session yet)
 * UNAVAILABLE  heartbeat                               AVAILABLE
 * AVAILABLE    heartbeat                               AVAILABLE (last heartbeat moves on)
 * AVAILABLE    sweep, no heartbeat for 3 intervals     UNAVAILABLE
 * </pre>
 */
public enum NodeState {
  AVAILABLE,
  UNAVAILABLE
}
