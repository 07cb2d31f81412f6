package dev.canopy.cloud.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The pure placement rule. Filters: the node is available, in the requested zone (if any), and
 * has the free vCPUs, memory and disk for the instance. Weights: the fraction of the node's
 * scarcest resource left free after placing the instance; {@link PlacementPolicy#SPREAD} takes
 * the highest first, {@link PlacementPolicy#PACK} the lowest. Equal weights are ordered by the
 * injected random, so a seed replays a run exactly and equal nodes share the load.
 *
 * <p>The answer is a ranking, not one node: the caller reserves on the first node that still
 * has room when it gets there, because concurrent launches may have taken it meanwhile.
 */
public final class Placement {

  private Placement() {}

  /**
   * @param used capacity reserved per node id (absent = nothing reserved)
   * @param zone the requested zone, or null for any
   * @return the ids of the nodes that fit, best first
   */
  public static List<String> rank(
      List<NodeInfo> nodes, Map<String, Capacity> used, Capacity need, String zone, PlacementPolicy policy, RandomGenerator random) {
    List<NodeInfo> sorted = new ArrayList<>(nodes);
    // Sorted by id first so the registry's iteration order cannot change the outcome of a seed.
    sorted.sort(Comparator.comparing(NodeInfo::nodeId));
    List<Scored> fitting = new ArrayList<>();
    for (NodeInfo node : sorted) {
      if (!node.available() || (zone != null && !zone.equals(node.zone()))) {
        continue;
      }
      NodeCapacity accounted = new NodeCapacity(node.nodeId(), node.total(), used.getOrDefault(node.nodeId(), Capacity.ZERO));
      if (!accounted.free().fits(need)) {
        continue;
      }
      fitting.add(new Scored(node.nodeId(), freeFractionAfter(accounted, need), random.nextLong()));
    }
    Comparator<Scored> byWeight = Comparator.comparingDouble(Scored::weight);
    if (policy == PlacementPolicy.SPREAD) {
      byWeight = byWeight.reversed();
    }
    fitting.sort(byWeight.thenComparingLong(Scored::tieBreak));
    return fitting.stream().map(Scored::nodeId).toList();
  }

  /** The smallest of (free after placing / total) over the three resources a node offers. */
  static double freeFractionAfter(NodeCapacity node, Capacity need) {
    Capacity free = node.free();
    Capacity total = node.total();
    return Math.min(
        fraction(free.vcpus() - need.vcpus(), total.vcpus()),
        Math.min(fraction(free.memoryMib() - need.memoryMib(), total.memoryMib()), fraction(free.diskGib() - need.diskGib(), total.diskGib())));
  }

  private static double fraction(long left, long total) {
    // A resource the node does not offer (total 0) can only fit needs of 0: it never limits.
    return total == 0 ? 1.0 : (double) left / total;
  }

  private record Scored(String nodeId, double weight, long tieBreak) {}
}
