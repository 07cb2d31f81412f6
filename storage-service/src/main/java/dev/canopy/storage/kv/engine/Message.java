package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.aae.KeyHash;
import java.util.List;

/**
 * What storage nodes say to each other: requests and their answers, all records so the
 * transport carries them as bytes ({@link MessageCodec}). Objects travel as record bytes
 * ({@code CausalObjectCodec}); an empty array is a missing key.
 */
sealed interface Message {

  /**
   * Asks a replica to coordinate a write: apply it with a new dot, answer the object stored. With
   * {@code overCopy} the context is ignored and the replica's own copy's clock is used instead.
   */
  record CoordinatePut(int partition, String bucket, String key, byte[] context, Content content,
      boolean sync, boolean allowMult, boolean overCopy) implements Message {}

  /** Asks a replica to merge an object in (a write's replication, a read repair). */
  record ReplicaPut(int partition, String bucket, String key, byte[] object, boolean sync,
      boolean allowMult, String hintFor) implements Message {}

  record ReplicaGet(int partition, String bucket, String key) implements Message {}

  /** Removes a tombstone that every primary holds, if it is still exactly {@code object}. */
  record Reap(int partition, String bucket, String key, byte[] object) implements Message {}

  /** Part of a partition handed to its owner: storage keys and records, merged durably. */
  record HandoffBatch(int partition, List<Entry> entries) implements Message {}

  record Entry(byte[] storageKey, byte[] object) {}

  /** A ring spread by a change or by gossip; the answer is the receiver's ring. */
  record RingUpdate(byte[] ring) implements Message {}

  record ListKeys(int partition, String bucket) implements Message {}

  /**
   * A listing's ask of one vnode: its records of {@code bucket}, tombstones included, whose keys
   * belong to one of the preference lists starting at {@code homes} (the ones this replica answers
   * for), start with {@code prefix} and sort after {@code startAfter} (empty: from the first) in
   * UTF-8 byte order; the first {@code limit} of them ({@link RangeScan}).
   */
  record ListRange(int partition, String bucket, int[] homes, String prefix, String startAfter,
      int limit) implements Message {}

  /** A listed record: the client's key and the replica's record bytes. */
  record Listed(String key, byte[] object) {}

  /**
   * A vnode's records for a {@link ListRange}, in ascending key order; {@code more}: records
   * after the last one were left out, so past it this replica's answer is unknown.
   */
  record RangeReply(List<Listed> records, boolean more) implements Message {}

  /** {@code superseded}: the write replaced every value the replica held (nothing of it survives beside it). */
  record PutAck(boolean synced, byte[] object, boolean superseded) implements Message {}

  record GetReply(byte[] object) implements Message {}

  record KeyList(List<String> keys) implements Message {}

  record Done() implements Message {}

  /**
   * Anti-entropy: the hashes of some nodes of one level of the hash tree a vnode keeps for the
   * keys whose preference list starts at {@code home} with {@code n} replicas. The tree's shape
   * travels along: a receiver whose trees are shaped otherwise (or that does not own the
   * partition) answers {@link Done}, and the exchange stops without repairing anything.
   */
  record TreeLevel(int partition, int home, int n, int segments, int width, int level,
      int[] indexes) implements Message {}

  /** Anti-entropy: the keys and object hashes of some segments of the same tree. */
  record TreeSegments(int partition, int home, int n, int segments, int width,
      int[] segmentIndexes) implements Message {}

  /**
   * A new owner's read of one key from the partition's former owner, while the partition may
   * still be on its way: answered from the former owner's vnode only, never forwarded again.
   */
  record FormerOwnerGet(int partition, String bucket, String key) implements Message {}

  /** The former owner's object (empty if none) and whether it still holds any of the partition. */
  record FormerOwnerReply(byte[] object, boolean holding) implements Message {}

  /** The former owner {@code from} handed the partition over and dropped it: stop reading through. */
  record HandedOff(int partition, String from) implements Message {}

  /** A join's check of the node to add: answer who you are and what you hold ({@link MemberState}). */
  record MemberProbe() implements Message {}

  /** The probed node's ring and whether it holds any data of the store. */
  record MemberState(byte[] ring, boolean holdingData) implements Message {}

  record LevelHashes(long[] hashes) implements Message {}

  /** Per segment asked, its keys (storage keys) and object hashes in unsigned key order. */
  record SegmentKeys(List<List<KeyHash>> segments) implements Message {}
}
