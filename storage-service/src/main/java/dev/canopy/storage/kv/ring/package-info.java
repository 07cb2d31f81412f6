/**
 * The consistent-hash ring: a fixed number Q of partitions (a power of two, 64 by default), a key
 * placed by SHA-1 over its length-prefixed bucket and key ({@link
 * dev.canopy.storage.kv.ring.KeyHash}), each partition owned by one member ({@link
 * dev.canopy.storage.kv.ring.Ring}).
 *
 * <p>The claim ({@code Claim}) runs over the sorted member list, so every node that knows the
 * members computes the same ring: round robin, then a repair of the seam where the round robin
 * wraps, so that any {@code targetN} consecutive partitions have distinct owners when the members
 * outnumber targetN (with exactly targetN members that is possible only when targetN divides Q,
 * as in Riak). A join takes partitions for the new node only, from the most loaded owners, and a
 * leave gives away only the leaving node's partitions; the {@link
 * dev.canopy.storage.kv.ring.RingChange} lists those moves for handoff.
 *
 * <p>A key's preference list ({@link dev.canopy.storage.kv.ring.Ring#preferenceList}) is the owners
 * of the N partitions walking clockwise from the key's partition; a primary that is down is
 * replaced by the next distinct node further round that is up (a fallback, carrying a hint for the
 * owner). The ring also carries the cluster's metadata (bucket properties) and a version: changes
 * make a higher version, spread by the engine; {@link dev.canopy.storage.kv.ring.RingCodec} is its
 * byte form.
 */
package dev.canopy.storage.kv.ring;
