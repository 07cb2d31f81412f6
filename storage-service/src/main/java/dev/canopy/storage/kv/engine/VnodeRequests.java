package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.causality.ContextCodec;
import dev.canopy.storage.kv.engine.Message.CoordinatePut;
import dev.canopy.storage.kv.engine.Message.Done;
import dev.canopy.storage.kv.engine.Message.Entry;
import dev.canopy.storage.kv.engine.Message.FormerOwnerGet;
import dev.canopy.storage.kv.engine.Message.FormerOwnerReply;
import dev.canopy.storage.kv.engine.Message.GetReply;
import dev.canopy.storage.kv.engine.Message.HandedOff;
import dev.canopy.storage.kv.engine.Message.HandoffBatch;
import dev.canopy.storage.kv.engine.Message.KeyList;
import dev.canopy.storage.kv.engine.Message.LevelHashes;
import dev.canopy.storage.kv.engine.Message.ListKeys;
import dev.canopy.storage.kv.engine.Message.ListRange;
import dev.canopy.storage.kv.engine.Message.MemberProbe;
import dev.canopy.storage.kv.engine.Message.MemberState;
import dev.canopy.storage.kv.engine.Message.PutAck;
import dev.canopy.storage.kv.engine.Message.Reap;
import dev.canopy.storage.kv.engine.Message.ReplicaGet;
import dev.canopy.storage.kv.engine.Message.ReplicaPut;
import dev.canopy.storage.kv.engine.Message.RingUpdate;
import dev.canopy.storage.kv.engine.Message.SegmentKeys;
import dev.canopy.storage.kv.engine.Message.TreeLevel;
import dev.canopy.storage.kv.engine.Message.TreeSegments;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.kv.ring.RingCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's answers to its peers: each request runs on the named partition's vnode. A fallback
 * stores a hinted write in the vnode of the partition it stands in for; that the node does not
 * own the partition is the hint, and {@code tick} hands it back to the owner.
 */
final class VnodeRequests {

  private final KvNode node;

  VnodeRequests(KvNode node) {
    this.node = node;
  }

  Message serve(Message request) {
    if (request instanceof CoordinatePut m) {
      Vnode vnode = node.vnode(m.partition());
      Vnode.Stored stored = vnode.persist(vnode.coordinate(StorageKeys.encode(m.bucket(), m.key()),
          ContextCodec.decode(m.context()), m.overCopy(), m.content(), m.sync(), m.allowMult()));
      return new PutAck(stored.synced(), stored.record(), stored.superseded());
    }
    if (request instanceof ReplicaPut m) {
      Vnode vnode = node.vnode(m.partition());
      Vnode.Stored stored = vnode.persist(vnode.merge(StorageKeys.encode(m.bucket(), m.key()),
          CausalObjectCodec.decode(m.object()), m.sync(), m.allowMult()));
      return new PutAck(stored.synced(), new byte[0], stored.superseded());
    }
    if (request instanceof ReplicaGet m) {
      return new GetReply(node.vnode(m.partition()).record(StorageKeys.encode(m.bucket(), m.key())));
    }
    if (request instanceof FormerOwnerGet m) {
      Vnode vnode = node.vnode(m.partition());
      CausalObject object = vnode.get(StorageKeys.encode(m.bucket(), m.key()));
      return new FormerOwnerReply(object.isEmpty() ? new byte[0] : CausalObjectCodec.encode(object),
          !vnode.isEmpty());
    }
    if (request instanceof HandedOff m) {
      node.readThrough().handedOff(m.partition(), m.from());
      return new Done();
    }
    if (request instanceof Reap m) {
      node.vnode(m.partition()).reap(StorageKeys.encode(m.bucket(), m.key()),
          CausalObjectCodec.decode(m.object()));
      return new Done();
    }
    if (request instanceof HandoffBatch m) {
      Vnode vnode = node.vnode(m.partition());
      for (Entry e : m.entries()) {
        StorageKeys.BucketKey bk = StorageKeys.decode(e.storageKey());
        // Synced: the sender drops its copy once this answers.
        vnode.merge(e.storageKey(), CausalObjectCodec.decode(e.object()), true,
            node.props(bk.bucket()).allowMult());
      }
      return new Done();
    }
    if (request instanceof RingUpdate m) {
      Ring theirs = RingCodec.decode(m.ring());
      node.installRing(theirs);
      return new RingUpdate(RingCodec.encode(node.ring()));
    }
    if (request instanceof MemberProbe) {
      return new MemberState(RingCodec.encode(node.ring()), node.holdsData());
    }
    if (request instanceof ListKeys m) {
      List<String> keys = new ArrayList<>();
      node.vnode(m.partition()).fold((k, v) -> {
        StorageKeys.BucketKey bk = StorageKeys.decode(k);
        if (bk.bucket().equals(m.bucket()) && !CausalObjectCodec.decode(v).live().isEmpty()) {
          keys.add(bk.key());
        }
      });
      return new KeyList(keys);
    }
    if (request instanceof ListRange m) {
      return RangeScan.serve(node.vnode(m.partition()), m, node.ring().partitions());
    }
    if (request instanceof TreeLevel m) {
      return servesTree(m.partition(), m.segments(), m.width())
          ? new LevelHashes(node.vnode(m.partition()).tree(new TreeId(m.home(), m.n()))
              .levelHashes(m.level(), m.indexes()))
          : new Done();
    }
    if (request instanceof TreeSegments m) {
      return servesTree(m.partition(), m.segments(), m.width())
          ? new SegmentKeys(node.vnode(m.partition()).tree(new TreeId(m.home(), m.n()))
              .keyHashes(m.segmentIndexes()))
          : new Done();
    }
    throw new IllegalArgumentException("not a request: " + request.getClass().getSimpleName());
  }

  /**
   * Whether this node answers for its tree of {@code partition}: only as the partition's owner
   * (a fallback's or a former owner's copy is on its way to the owner, not a replica to compare)
   * and only with trees of the asker's shape.
   */
  private boolean servesTree(int partition, int segments, int width) {
    TreeShape shape = node.antiEntropySettings().treeShape();
    return node.ring().owner(partition).equals(node.id())
        && shape.segmentCount() == segments && shape.width() == width;
  }
}
