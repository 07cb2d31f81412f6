package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.ring.Replica;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Write quorums count machines, not only replicas. A ring whose partition count the member count
 * does not divide (64 partitions over 3 nodes) gives some keys a preference list with one node
 * twice, and two acks from that node alone would make a w of 2 that one crash undoes. So a write
 * quorum of {@code q} also needs acks from {@code q} distinct nodes, or from every node of the list
 * when it names fewer: never weaker than counting replicas, and one node's loss then loses no
 * acknowledged write wherever the list spans two nodes or more. Reads still count replicas: R + W
 * > N holds on replicas, so a read quorum meets every acknowledged write, and a read needing a
 * second machine would only fail more often (a slow node then fails reads the other answers).
 */
final class NodeSpread {

  private final int nodesInList;
  private final Set<String> answered = new HashSet<>();

  NodeSpread(List<Replica> replicas) {
    this.nodesInList = (int) replicas.stream().map(Replica::node).distinct().count();
  }

  void add(Replica replica) {
    answered.add(replica.node());
  }

  /** Whether the nodes that answered are enough for a quorum of {@code quorum}. */
  boolean covers(int quorum) {
    return answered.size() >= Math.min(quorum, nodesInList);
  }

  int nodes() {
    return answered.size();
  }

  /**
   * The replicas reordered so that the first ones asked are on distinct nodes: each node's first
   * replica in list order, then the second replicas of nodes already named.
   */
  static List<Replica> distinctNodesFirst(List<Replica> replicas) {
    List<Replica> first = new ArrayList<>();
    List<Replica> repeats = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Replica replica : replicas) {
      (seen.add(replica.node()) ? first : repeats).add(replica);
    }
    first.addAll(repeats);
    return first;
  }
}
