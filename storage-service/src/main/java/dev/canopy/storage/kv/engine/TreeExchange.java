package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.aae.Exchange;
import dev.canopy.storage.kv.aae.HashTree;
import dev.canopy.storage.kv.aae.KeyDifference;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.engine.Message.GetReply;
import dev.canopy.storage.kv.engine.Message.ReplicaGet;
import dev.canopy.storage.kv.engine.Message.ReplicaPut;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One anti-entropy exchange: this node's replica of one preference list's keys (in its vnode of
 * {@code partition}) against a peer's (in the peer's vnode of {@code peerPartition}). The trees
 * are compared level by level ({@link Exchange}, asking the peer only about what differs); then
 * each differing key is read on both sides, merged, and the merge written back to each side
 * that did not hold it. Merging cannot lose anything either side had, so a replica wiped empty is
 * refilled and one holding a tombstone spreads the tombstone, never the value it replaced; a key
 * reaped on both sides is on neither, so there is nothing to bring back.
 */
final class TreeExchange {

  /** Differences repaired per exchange; a badly diverged replica takes several exchanges. */
  static final int DIFFERENCES_PER_EXCHANGE_MAX = Exchange.DIFFERENCES_DEFAULT_MAX;
  /** Keys repaired at once: bounds the requests one exchange has outstanding at a peer. */
  static final int REPAIRS_IN_FLIGHT_MAX = 16;

  /** What a completed exchange did: how many keys it rewrote on either side. */
  record Outcome(int keysRepaired) {}

  private final KvNode node;
  private final int partition;
  private final TreeId tree;
  private final String peer;
  private final int peerPartition;

  TreeExchange(KvNode node, int partition, TreeId tree, String peer, int peerPartition) {
    this.node = node;
    this.partition = partition;
    this.tree = tree;
    this.peer = peer;
    this.peerPartition = peerPartition;
  }

  CompletableFuture<Outcome> run() {
    HashTree mine = node.vnode(partition).tree(tree);
    PeerTree theirs = new PeerTree(node, peer, peerPartition, tree, mine.shape());
    return new Exchange(DIFFERENCES_PER_EXCHANGE_MAX).runAsync(mine, theirs)
        .thenCompose(result -> repair(result.differences(), 0, 0))
        .thenApply(Outcome::new);
  }

  /** Repairs the differences from {@code from} on, a window at a time; the keys rewritten. */
  private CompletableFuture<Integer> repair(List<KeyDifference> differences, int from, int repaired) {
    if (from >= differences.size()) {
      return CompletableFuture.completedFuture(repaired);
    }
    List<KeyDifference> window =
        differences.subList(from, Math.min(from + REPAIRS_IN_FLIGHT_MAX, differences.size()));
    List<CompletableFuture<Boolean>> repairs =
        window.stream().map(d -> repairKey(d.key().bytes())).toList();
    return CompletableFuture.allOf(repairs.toArray(CompletableFuture[]::new)).thenCompose(x -> {
      int count = (int) repairs.stream().filter(CompletableFuture::join).count();
      return repair(differences, from + window.size(), repaired + count);
    });
  }

  /** Merges one key's two replicas into both; whether either side had to be rewritten. */
  private CompletableFuture<Boolean> repairKey(byte[] storageKey) {
    StorageKeys.BucketKey bk = StorageKeys.decode(storageKey);
    boolean allowMult = node.props(bk.bucket()).allowMult();
    return node.call(peer, new ReplicaGet(peerPartition, bk.bucket(), bk.key()))
        .handle((reply, error) -> reply instanceof GetReply got ? got : null)
        .thenCompose(got -> {
          if (got == null || node.bugs().skipAntiEntropyRepair) {
            return CompletableFuture.completedFuture(false);
          }
          CausalObject theirs = got.object().length == 0
              ? CausalObject.EMPTY : CausalObjectCodec.decode(got.object());
          Vnode vnode = node.vnode(partition);
          CausalObject mine = vnode.get(storageKey);
          CausalObject merged = mine.merge(theirs);
          CausalObject resolved = allowMult ? merged : merged.lastWriteWins();
          boolean rewritten = false;
          if (!resolved.equals(mine)) {
            vnode.merge(storageKey, theirs, false, allowMult);
            rewritten = true;
          }
          if (resolved.equals(theirs)) {
            return CompletableFuture.completedFuture(rewritten);
          }
          return node.call(peer, new ReplicaPut(peerPartition, bk.bucket(), bk.key(),
                  CausalObjectCodec.encode(resolved), false, allowMult, null))
              .handle((ack, error) -> true);
        });
  }
}
