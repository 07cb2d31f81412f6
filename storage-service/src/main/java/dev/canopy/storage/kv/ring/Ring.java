package dev.canopy.storage.kv.ring;

import dev.canopy.storage.kv.BucketProps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The ring: a fixed number of partitions (a power of two), each owned by one member, plus the
 * cluster's metadata (the buckets' properties). Immutable; every change makes a ring with a
 * higher version, and a node adopts a ring only if its version is higher than the one it holds.
 * Changes are made by one node at a time (the one an operator or a props call reached) and spread
 * from there, as Riak's claimant does.
 *
 * <p>The ring also carries each member's peer address (a host; the peer port is the same on every
 * member), so a node that adopts a ring can dial every member in it, a joined one included. A
 * member's address may be unknown (a ring kept in the first byte form had none): the node then
 * takes it from its command line.
 */
public final class Ring {

  public static final int PARTITIONS_DEFAULT = 64;
  /** Riak's {@code target_n_val} idea: how many consecutive partitions the claim keeps on distinct nodes. */
  public static final int TARGET_N_DEFAULT = 3;
  /** A bound on the partition count, so a corrupt or hostile ring cannot make a node allocate wildly. */
  public static final int PARTITIONS_MAX = 1 << 14;

  private final long version;
  private final int targetN;
  private final List<String> members;
  private final String[] owners;
  private final Map<String, BucketProps> bucketProps;
  private final Map<String, String> addresses;

  Ring(long version, int targetN, List<String> members, String[] owners,
      Map<String, BucketProps> bucketProps, Map<String, String> addresses) {
    int q = owners.length;
    if (q < 1 || q > PARTITIONS_MAX || Integer.bitCount(q) != 1) {
      throw new IllegalArgumentException("the partition count must be a power of two up to "
          + PARTITIONS_MAX + ": " + q);
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    Set<String> memberSet = new HashSet<>(members);
    for (String o : owners) {
      if (!memberSet.contains(o)) {
        throw new IllegalArgumentException("partition owner " + o + " is not a member");
      }
    }
    for (Map.Entry<String, String> a : addresses.entrySet()) {
      if (!memberSet.contains(a.getKey()) || a.getValue().isBlank()) {
        throw new IllegalArgumentException("an address for " + a.getKey() + " that is not a member, or empty");
      }
    }
    this.version = version;
    this.targetN = targetN;
    this.members = List.copyOf(new TreeSet<>(members));
    this.owners = owners.clone();
    this.bucketProps = Collections.unmodifiableMap(new TreeMap<>(bucketProps));
    this.addresses = Collections.unmodifiableMap(new TreeMap<>(addresses));
  }

  /** The first ring over {@code members} (order does not matter: the claim sorts them). */
  public static Ring create(List<String> members, int partitions, int targetN) {
    List<String> sorted = List.copyOf(new TreeSet<>(members));
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    return new Ring(1, targetN, sorted, Claim.fresh(sorted, partitions, targetN), Map.of(), Map.of());
  }

  /** The first ring over the members of {@code addresses} (id → peer host), with those addresses. */
  public static Ring create(Map<String, String> addresses, int partitions, int targetN) {
    return create(List.copyOf(addresses.keySet()), partitions, targetN).withAddresses(addresses);
  }

  public static Ring create(List<String> members) {
    return create(members, PARTITIONS_DEFAULT, TARGET_N_DEFAULT);
  }

  public long version() {
    return version;
  }

  public int partitions() {
    return owners.length;
  }

  public int targetN() {
    return targetN;
  }

  public List<String> members() {
    return members;
  }

  /** Each member's peer host, where known (a ring of the first byte form knows none). */
  public Map<String, String> addresses() {
    return addresses;
  }

  public Optional<String> address(String member) {
    return Optional.ofNullable(addresses.get(member));
  }

  /**
   * The same ring (same version) with the addresses it lacks for its members taken from {@code
   * known}; an address it has is kept. Entries for non-members are ignored. Not a change to
   * spread: each node fills in what its own command line told it.
   */
  public Ring withAddresses(Map<String, String> known) {
    Map<String, String> next = new TreeMap<>(known);
    next.keySet().retainAll(members);
    next.putAll(addresses);
    return next.equals(addresses) ? this : new Ring(version, targetN, members, owners, bucketProps, next);
  }

  public String owner(int partition) {
    return owners[partition];
  }

  public List<String> owners() {
    return List.of(owners);
  }

  public List<Integer> partitionsOwnedBy(String node) {
    List<Integer> owned = new ArrayList<>();
    for (int i = 0; i < owners.length; i++) {
      if (owners[i].equals(node)) {
        owned.add(i);
      }
    }
    return owned;
  }

  public int partitionOf(String bucket, String key) {
    return KeyHash.partition(KeyHash.encode(bucket, key), owners.length);
  }

  /**
   * The replicas of a key whose hash falls in {@code partition}: the owners of the {@code n}
   * partitions walking clockwise from it; a primary that {@code up} says is down is replaced by
   * the next node further round the ring that is up and not already in the list (a fallback),
   * as Riak's sloppy quorum does. When no node is left to stand in for it, the primary believed
   * down stays in the list: that belief comes from one unanswered call (a peer slow under load is
   * enough), asking it again costs at most a call timeout, and leaving it out would fail a quorum
   * it may still make.
   */
  public List<Replica> preferenceList(int partition, int n, Predicate<String> up) {
    int q = owners.length;
    int count = Math.min(n, q);
    Set<String> used = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String owner = owners[(partition + i) % q];
      if (up.test(owner)) {
        used.add(owner);
      }
    }
    List<Replica> list = new ArrayList<>(count);
    int next = partition + count;
    for (int i = 0; i < count; i++) {
      int p = (partition + i) % q;
      String owner = owners[p];
      if (up.test(owner)) {
        list.add(Replica.primary(p, owner));
        continue;
      }
      boolean replaced = false;
      for (; next < partition + count + q && !replaced; next++) {
        String candidate = owners[next % q];
        if (up.test(candidate) && used.add(candidate)) {
          list.add(Replica.fallback(p, candidate, owner));
          replaced = true;
        }
      }
      if (!replaced) {
        list.add(Replica.primary(p, owner));
      }
    }
    return list;
  }

  public RingChange join(String node) {
    if (members.contains(node)) {
      throw new IllegalArgumentException(node + " is already a member");
    }
    List<String> next = new ArrayList<>(members);
    next.add(node);
    Collections.sort(next);
    return change(next, Claim.join(owners, next, node, targetN), addresses);
  }

  /** A join that also records where the new member's peer port listens. */
  public RingChange join(String node, String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("a joining node needs an address");
    }
    RingChange change = join(node);
    Map<String, String> next = new TreeMap<>(addresses);
    next.put(node, address);
    Ring r = change.ring();
    return new RingChange(new Ring(r.version, targetN, r.members, r.owners, bucketProps, next), change.moves());
  }

  public RingChange leave(String node) {
    if (!members.contains(node)) {
      throw new IllegalArgumentException(node + " is not a member");
    }
    if (members.size() == 1) {
      throw new IllegalArgumentException("the last member cannot leave");
    }
    List<String> next = new ArrayList<>(members);
    next.remove(node);
    Map<String, String> nextAddresses = new TreeMap<>(addresses);
    nextAddresses.remove(node);
    return change(next, Claim.leave(owners, next, node, targetN), nextAddresses);
  }

  private RingChange change(List<String> nextMembers, String[] nextOwners, Map<String, String> nextAddresses) {
    List<PartitionMove> moves = new ArrayList<>();
    for (int i = 0; i < owners.length; i++) {
      if (!owners[i].equals(nextOwners[i])) {
        moves.add(new PartitionMove(i, owners[i], nextOwners[i]));
      }
    }
    return new RingChange(
        new Ring(version + 1, targetN, nextMembers, nextOwners, bucketProps, nextAddresses), moves);
  }

  public Optional<BucketProps> bucketProps(String bucket) {
    return Optional.ofNullable(bucketProps.get(bucket));
  }

  public Map<String, BucketProps> allBucketProps() {
    return bucketProps;
  }

  /** The next ring with {@code props} set for the bucket, or its properties removed when null. */
  public Ring withBucketProps(String bucket, BucketProps props) {
    Map<String, BucketProps> next = new TreeMap<>(bucketProps);
    if (props == null) {
      next.remove(bucket);
    } else {
      next.put(bucket, props);
    }
    return new Ring(version + 1, targetN, members, owners, next, addresses);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ring r && r.version == version && r.targetN == targetN
        && r.members.equals(members) && Arrays.equals(r.owners, owners)
        && r.bucketProps.equals(bucketProps) && r.addresses.equals(addresses);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + Arrays.hashCode(owners);
  }

  @Override
  public String toString() {
    return "Ring[v" + version + ", " + owners.length + " partitions, members " + members + "]";
  }
}
