package dev.canopy.storage.kv.ring;

/**
 * One place a key's replica lives for a request: the ring partition whose copy it is, the node
 * holding it, and whether that node is the partition's owner (a primary) or a fallback standing
 * in for {@code hintFor}, the owner that was down, to which it hands the data back.
 */
public record Replica(int partition, String node, boolean primary, String hintFor) {

  public static Replica primary(int partition, String node) {
    return new Replica(partition, node, true, null);
  }

  public static Replica fallback(int partition, String node, String hintFor) {
    return new Replica(partition, node, false, hintFor);
  }
}
