package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.aae.AsyncRemoteTree;
import dev.canopy.storage.kv.aae.KeyHash;
import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.engine.Message.LevelHashes;
import dev.canopy.storage.kv.engine.Message.SegmentKeys;
import dev.canopy.storage.kv.engine.Message.TreeLevel;
import dev.canopy.storage.kv.engine.Message.TreeSegments;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A peer replica's hash tree, asked over the transport: each question of an exchange is one
 * {@link TreeLevel} or {@link TreeSegments} message to the node holding the partition. Any other
 * answer (the peer refused: it does not own the partition, or its trees are shaped otherwise)
 * fails the exchange.
 */
final class PeerTree implements AsyncRemoteTree {

  private final KvNode node;
  private final String peer;
  private final int partition;
  private final TreeId tree;
  private final TreeShape shape;

  PeerTree(KvNode node, String peer, int partition, TreeId tree, TreeShape shape) {
    this.node = node;
    this.peer = peer;
    this.partition = partition;
    this.tree = tree;
    this.shape = shape;
  }

  @Override
  public TreeShape shape() {
    return shape;
  }

  @Override
  public CompletableFuture<long[]> levelHashes(int level, int[] indexes) {
    return node.call(peer, new TreeLevel(partition, tree.home(), tree.n(), shape.segmentCount(),
        shape.width(), level, indexes)).thenApply(reply -> {
          if (reply instanceof LevelHashes hashes) {
            return hashes.hashes();
          }
          throw new IllegalStateException(peer + " refused the tree of partition " + partition);
        });
  }

  @Override
  public CompletableFuture<List<List<KeyHash>>> keyHashes(int[] segments) {
    return node.call(peer, new TreeSegments(partition, tree.home(), tree.n(),
        shape.segmentCount(), shape.width(), segments)).thenApply(reply -> {
          if (reply instanceof SegmentKeys keys) {
            return keys.segments();
          }
          throw new IllegalStateException(peer + " refused the tree of partition " + partition);
        });
  }
}
