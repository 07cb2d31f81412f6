package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.aae.HashTree;
import dev.canopy.storage.kv.aae.TreeHashes;
import dev.canopy.storage.kv.aae.TreeShape;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One vnode's hash trees, one per preference list ({@link TreeId}) it holds keys of: built from
 * a fold of the vnode's records, then told of every record stored or removed. A record's object
 * hash is over its stored bytes, which encode canonically (siblings in dot order, clock and
 * metadata sorted), so replicas holding the same merged object agree. Used under the vnode's
 * lock; the trees themselves are thread safe for an exchange reading them meanwhile.
 */
final class VnodeTrees {

  private final TreeShape shape;
  private final Function<byte[], TreeId> treeOf;
  private final Map<TreeId, HashTree> trees = new HashMap<>();

  private VnodeTrees(TreeShape shape, Function<byte[], TreeId> treeOf) {
    this.shape = shape;
    this.treeOf = treeOf;
  }

  /** The trees of every record {@code fold} yields. */
  static VnodeTrees build(TreeShape shape, Function<byte[], TreeId> treeOf,
      Consumer<BiConsumer<byte[], byte[]>> fold) {
    VnodeTrees built = new VnodeTrees(shape, treeOf);
    fold.accept(built::stored);
    return built;
  }

  void stored(byte[] storageKey, byte[] record) {
    tree(treeOf.apply(storageKey)).insert(storageKey, TreeHashes.objectHash(record));
  }

  void removed(byte[] storageKey) {
    tree(treeOf.apply(storageKey)).delete(storageKey);
  }

  /** The tree of {@code id}; an empty one when the vnode holds no key of that preference list. */
  HashTree tree(TreeId id) {
    return trees.computeIfAbsent(id, x -> new HashTree(shape));
  }
}
