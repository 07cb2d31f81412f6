package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.engine.Message.Entry;
import dev.canopy.storage.kv.engine.Message.HandoffBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Hands one partition this node holds but does not own to its owner: the data a fallback kept
 * for a primary that was down (hinted handoff), or a partition whose ownership moved to another
 * node by a join or leave (ownership handoff). The partition is folded, sent in batches the
 * owner merges and syncs, and dropped only after a last look, under the vnode's lock, shows
 * nothing changed since the fold; a write that slipped in sends everything again next tick.
 * Reads and writes go on meanwhile: this node still serves the partition until the drop.
 */
final class Handoff {

  /** Records per batch: bounds a message's size and the owner's work per request. */
  static final int BATCH_ENTRIES_MAX = 64;

  private final KvNode node;
  private final Vnode vnode;
  private final String owner;

  Handoff(KvNode node, Vnode vnode, String owner) {
    this.node = node;
    this.vnode = vnode;
    this.owner = owner;
  }

  /** Completes true when the partition was handed off and dropped, false to try again later. */
  CompletableFuture<Boolean> run() {
    Map<ByteBuffer, byte[]> snapshot = snapshot();
    if (node.bugs().dropHint) {
      return CompletableFuture.completedFuture(dropIfUnchanged(snapshot));
    }
    List<List<Entry>> batches = new ArrayList<>();
    List<Entry> batch = new ArrayList<>();
    for (Map.Entry<ByteBuffer, byte[]> e : snapshot.entrySet()) {
      batch.add(new Entry(bytes(e.getKey()), e.getValue()));
      if (batch.size() == BATCH_ENTRIES_MAX) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return send(batches, 0).thenApply(sent -> sent && dropIfUnchanged(snapshot));
  }

  private CompletableFuture<Boolean> send(List<List<Entry>> batches, int index) {
    if (index == batches.size()) {
      return CompletableFuture.completedFuture(true);
    }
    return node.call(owner, new HandoffBatch(vnode.partition(), batches.get(index)))
        .handle((reply, error) -> error == null)
        .thenCompose(ok -> ok ? send(batches, index + 1) : CompletableFuture.completedFuture(false));
  }

  private Map<ByteBuffer, byte[]> snapshot() {
    Map<ByteBuffer, byte[]> records = new TreeMap<>();
    vnode.fold((k, v) -> records.put(ByteBuffer.wrap(k.clone()), v.clone()));
    return records;
  }

  private boolean dropIfUnchanged(Map<ByteBuffer, byte[]> sent) {
    synchronized (vnode) {
      Map<ByteBuffer, byte[]> now = snapshot();
      if (now.size() != sent.size()) {
        return false;
      }
      for (Map.Entry<ByteBuffer, byte[]> e : now.entrySet()) {
        if (!java.util.Arrays.equals(e.getValue(), sent.get(e.getKey()))) {
          return false;
        }
      }
      vnode.drop();
      node.forgetVnode(vnode);
      return true;
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
