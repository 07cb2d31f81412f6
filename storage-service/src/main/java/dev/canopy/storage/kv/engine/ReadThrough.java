package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.engine.Message.FormerOwnerGet;
import dev.canopy.storage.kv.engine.Message.FormerOwnerReply;
import dev.canopy.storage.kv.engine.Message.GetReply;
import dev.canopy.storage.kv.engine.Message.ReplicaGet;
import dev.canopy.storage.kv.ring.Ring;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads of a partition this node has just come to own, while its former owner may still be
 * handing it over (Riak keeps such a node out of reads until the handoff completes; here it
 * reads through instead): a replica read asks the former owner for the key too, merges its
 * object into the local vnode (as a read repair would) and answers the merge. So a read answered
 * only by new owners (n_val 1, or r=1) still finds a value that has not arrived yet. The former
 * owner is forgotten once it says it handed the partition over ({@code HandedOff}, sent after
 * its drop) or answers that it holds nothing of it; while it is believed down, reads answer what
 * is here.
 *
 * <p>A node learns former owners from the rings it installs; a node started with a ring knows
 * none, so a joining node should start with the cluster's ring and then install the one that adds
 * it (as Riak's join, then plan and commit).
 */
final class ReadThrough {

  private final KvNode node;
  private final Map<Integer, String> formerOwners = new ConcurrentHashMap<>();

  ReadThrough(KvNode node) {
    this.node = node;
  }

  /** Notes the partitions {@code next} gives this node that {@code previous} gave another. */
  void ringChanged(Ring previous, Ring next) {
    for (int p = 0; p < next.partitions(); p++) {
      String before = previous.owner(p);
      if (!next.owner(p).equals(node.id())) {
        formerOwners.remove(p);
      } else if (!before.equals(node.id())) {
        formerOwners.put(p, before);
      }
    }
  }

  /** {@code from} finished handing {@code partition} over (it says so after its drop). */
  void handedOff(int partition, String from) {
    formerOwners.remove(partition, from);
  }

  /**
   * The former owner to read through to for {@code request}, or null to answer locally (also
   * when the former owner is believed down: waiting for it would outlast the reader's timeout).
   */
  String formerOwnerFor(Message request, Liveness liveness) {
    if (!(request instanceof ReplicaGet m)) {
      return null;
    }
    String former = formerOwners.get(m.partition());
    return former != null && liveness.up(former) ? former : null;
  }

  CompletableFuture<Message> get(ReplicaGet m, String former) {
    return node.call(former, new FormerOwnerGet(m.partition(), m.bucket(), m.key()))
        .handle((reply, error) -> {
          byte[] storageKey = StorageKeys.encode(m.bucket(), m.key());
          Vnode vnode = node.vnode(m.partition());
          CausalObject object = vnode.get(storageKey);
          if (reply instanceof FormerOwnerReply theirs) {
            if (!theirs.holding()) {
              formerOwners.remove(m.partition(), former);
            }
            if (theirs.object().length > 0) {
              object = vnode.merge(storageKey, CausalObjectCodec.decode(theirs.object()), false,
                  node.props(m.bucket()).allowMult()).object();
            }
          }
          return new GetReply(object.isEmpty() ? new byte[0] : CausalObjectCodec.encode(object));
        });
  }
}
