package dev.canopy.storage.kv;

import dev.canopy.storage.kv.ring.Ring;

/**
 * A node's ring as the operator sees it: the ring itself and this node's pending handoffs
 * (partitions it holds data for but does not own).
 */
public record RingView(String node, Ring ring, int handoffsPending) {}
