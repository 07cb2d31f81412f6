package dev.canopy.cloud.agents;

import java.time.Instant;

/**
 * When a node last heart-beat with nothing new to report. Kept in a grid map that is not written
 * through to disk ({@link NodeRegistry#PULSES_MAP}): a heartbeat time is worth nothing after a full
 * restart (every node heart-beats again within an interval), so it need not cost a synced write.
 */
public record NodePulse(String nodeId, Instant at) {}
