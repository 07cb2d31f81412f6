package dev.canopy.storage.kv.aae;

import java.util.List;

/**
 * What one side of an exchange asks of the other's tree, in batches, so that each call can be one
 * request to a peer: a {@link HashTree} answers directly (in tests, and for the local side), a
 * peer client will answer over the network. Calls may block; an exchange runs off the event loop.
 * Answers reflect the tree as it is when asked: a tree written to during an exchange may report a
 * key changed meanwhile as different, or miss it until the next exchange; repairing a key that
 * agrees is harmless.
 */
public interface RemoteTree {

  TreeShape shape();

  /** The hashes of the nodes at {@code indexes} of {@code level} (0 = root), in that order. */
  long[] levelHashes(int level, int[] indexes);

  /** For each of {@code segments}, in that order, its keys and object hashes in unsigned key order. */
  List<List<KeyHash>> keyHashes(int[] segments);
}
