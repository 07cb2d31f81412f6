package dev.canopy.cloud.lease;

/**
 * What a controller knows of the current lease, for {@code GET /lease}-style reporting.
 *
 * @param owner the holder's node id
 * @param remainingNanos how long the lease has left, as far as this node knows; for another
 *     node's lease this is learned from its LearnChosen and can overstate by that message's delay
 * @param self whether this node is the holder (then the figure is exact)
 */
public record LeaseView(int owner, long remainingNanos, boolean self) {}
