package dev.canopy.storage.kv.aae;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The questions of {@link RemoteTree}, answered later: the form a peer's tree takes when it is
 * asked over the network from a node that must not block (the engine's exchanges). A failed
 * future fails the exchange; nothing is repaired from a half-finished one.
 */
public interface AsyncRemoteTree {

  TreeShape shape();

  /** The hashes of the nodes at {@code indexes} of {@code level} (0 = root), in that order. */
  CompletableFuture<long[]> levelHashes(int level, int[] indexes);

  /** For each of {@code segments}, in that order, its keys and object hashes in unsigned key order. */
  CompletableFuture<List<List<KeyHash>>> keyHashes(int[] segments);

  /** A tree that answers at once (a local tree, or a blocking client), as an asynchronous one. */
  static AsyncRemoteTree answeredAtOnce(RemoteTree tree) {
    return new AsyncRemoteTree() {
      @Override
      public TreeShape shape() {
        return tree.shape();
      }

      @Override
      public CompletableFuture<long[]> levelHashes(int level, int[] indexes) {
        try {
          return CompletableFuture.completedFuture(tree.levelHashes(level, indexes));
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }

      @Override
      public CompletableFuture<List<List<KeyHash>>> keyHashes(int[] segments) {
        try {
          return CompletableFuture.completedFuture(tree.keyHashes(segments));
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
    };
  }
}
