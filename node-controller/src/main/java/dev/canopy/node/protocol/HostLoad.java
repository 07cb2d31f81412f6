package dev.canopy.node.protocol;

/**
 * How busy a node is, for people and later for weights.
 *
 * @param loadAverage the host's one-minute load average (negative when unknown)
 * @param memoryUsedMib memory in use on the host
 */
public record HostLoad(double loadAverage, long memoryUsedMib) {

  public static final HostLoad UNKNOWN = new HostLoad(-1, 0);
}
