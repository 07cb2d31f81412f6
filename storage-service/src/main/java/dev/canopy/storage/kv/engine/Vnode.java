package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.aae.HashTree;
import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.backend.KvBackend;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.causality.Dot;
import dev.canopy.storage.kv.causality.VersionVector;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * One partition's replicas on this node, over the node's backend: reads, coordinated writes
 * (with a new dot), merges, reaps, folds. Calls are serialised per vnode, so a handoff's final
 * check and drop see no write in between.
 *
 * <p>Its actor (for dots) is fresh each time the vnode is made (see {@code kv.causality}), and
 * it counts dots in memory: a dot is never issued twice, even after a crash or a drop.
 *
 * <p>It keeps the hash trees of anti-entropy ({@link VnodeTrees}), built from a fold when an
 * exchange first asks and then updated by every store and reap here, so a write, a merge (read
 * repair, handoff, anti-entropy repair) or a reap can never leave them behind the backend.
 */
final class Vnode {

  private static final byte[] NO_RECORD = new byte[0];
  private final int partition;
  private final KvBackend backend;
  private final PlantedBugs bugs;
  private final long actor;
  private final TreeShape treeShape;
  private final Function<byte[], TreeId> treeOf;
  private long counter;
  /** Built at the first exchange that asks (a fold), kept up to date by every change after. */
  private VnodeTrees trees;

  Vnode(int partition, KvBackend backend, long actor, PlantedBugs bugs, TreeShape treeShape,
      Function<byte[], TreeId> treeOf) {
    this.partition = partition;
    this.backend = backend;
    this.actor = actor;
    this.bugs = bugs;
    this.treeShape = treeShape;
    this.treeOf = treeOf;
  }

  /**
   * What was stored, and whether the caller asked for it synced: then it becomes durable only at
   * {@link #persist}, which the caller runs after the vnode's lock is released, so writes to one
   * partition do not queue behind each other's fsync and concurrent ones share a sync. {@code
   * record} is the object's encoding as written: what the other replicas and a remote coordinator's
   * caller receive, so a write encodes its object once (a chunk's encoding is a MiB copied).
   * {@code superseded}: the write replaced every value the replica held before.
   */
  record Stored(CausalObject object, byte[] record, boolean synced, boolean superseded) {}

  synchronized CausalObject get(byte[] storageKey) {
    Optional<byte[]> record = backend.get(partition, storageKey);
    return record.map(CausalObjectCodec::decode).orElse(CausalObject.EMPTY);
  }

  /**
   * The object's record as stored ({@link CausalObjectCodec}), empty when there is none: what a
   * replica answers a read with, so a read does not decode the record only to encode it again.
   */
  synchronized byte[] record(byte[] storageKey) {
    return backend.get(partition, storageKey).orElse(NO_RECORD);
  }

  /**
   * Applies a write with a new dot, replacing what {@code context} saw. With {@code overCopy} the
   * context is this replica's copy's own clock instead, as if the writer had read it here: the write
   * replaces the copy, whatever it holds ({@link KvNode#putSuperseding}).
   */
  synchronized Stored coordinate(byte[] storageKey, VersionVector context, boolean overCopy, Content content, boolean sync,
      boolean allowMult) {
    CausalObject local = get(storageKey);
    CausalObject next = local.update(overCopy ? local.clock() : context, new Dot(actor, ++counter), content);
    return store(storageKey, allowMult ? next : next.lastWriteWins(), sync, true);
  }

  /**
   * Merges {@code incoming} into this replica's copy. {@link Stored#superseded} says whether the
   * incoming clock had seen all of the copy, so that nothing of it survives beside the write.
   */
  synchronized Stored merge(
      byte[] storageKey, CausalObject incoming, boolean sync, boolean allowMult) {
    CausalObject local = get(storageKey);
    CausalObject merged = local.merge(incoming);
    return store(storageKey, allowMult ? merged : merged.lastWriteWins(), sync, incoming.clock().descends(local.clock()));
  }

  private Stored store(byte[] storageKey, CausalObject object, boolean sync, boolean superseded) {
    byte[] record = CausalObjectCodec.encode(object);
    backend.put(partition, storageKey, record, false);
    if (trees != null) {
      trees.stored(storageKey, record);
    }
    return new Stored(object, record, sync, superseded);
  }

  /**
   * Makes {@code stored} durable if it was asked synced; call it outside the lock (not
   * synchronized on purpose). The backend's sync covers every write that finished before it.
   */
  Stored persist(Stored stored) {
    if (stored.synced() && !bugs.ackBeforeSync) {
      backend.sync();
    }
    return stored;
  }

  /** Removes the key if it is still exactly the tombstone every primary was seen holding. */
  synchronized boolean reap(byte[] storageKey, CausalObject tombstone) {
    CausalObject local = get(storageKey);
    if (!local.isTombstone() || !local.equals(tombstone)) {
      return false;
    }
    backend.delete(partition, storageKey, false);
    if (trees != null) {
      trees.removed(storageKey);
    }
    return true;
  }

  synchronized void fold(BiConsumer<byte[], byte[]> each) {
    backend.fold(partition, each);
  }

  /** The records whose storage keys start with {@code prefix}, until {@code each} says stop. */
  synchronized void foldPrefix(byte[] prefix, BiPredicate<byte[], byte[]> each) {
    backend.foldPrefix(partition, prefix, each);
  }

  synchronized boolean isEmpty() {
    return backend.isEmpty(partition);
  }

  synchronized void drop() {
    backend.drop(partition);
    trees = null;
  }

  /** The hash tree of one preference list's keys held here (anti-entropy). */
  synchronized HashTree tree(TreeId id) {
    if (trees == null) {
      trees = VnodeTrees.build(treeShape, treeOf, each -> backend.fold(partition, each));
    }
    return trees.tree(id);
  }

  int partition() {
    return partition;
  }
}
