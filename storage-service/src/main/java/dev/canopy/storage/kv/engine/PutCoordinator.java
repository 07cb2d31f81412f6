package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.causality.ContextCodec;
import dev.canopy.storage.kv.engine.Message.CoordinatePut;
import dev.canopy.storage.kv.engine.Message.PutAck;
import dev.canopy.storage.kv.engine.Message.ReplicaPut;
import dev.canopy.storage.kv.ring.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One write, as Riak's put FSM runs it: a replica in the preference list (this node if it is
 * one) coordinates it, applying it with a new dot, and the object it stored goes to the other
 * replicas. Acks are counted as they come: {@code w} replicas received it, {@code dw} synced it,
 * {@code pw} of the receivers are primaries, and the {@code w} and {@code dw} counts span as many
 * distinct nodes as the list allows ({@link NodeSpread}). The write succeeds once all three are met and fails
 * with {@link QuorumUnreachableException} once every replica has answered or failed without.
 */
final class PutCoordinator {

  /** The quorums one write waits for, resolved against the bucket's n_val. */
  record Quorums(int w, int dw, int pw) {}

  /**
   * A write that met its quorums; {@code superseded}: every replica counted toward them held
   * nothing the write did not replace (for a write over the coordinator's copy, the sign that the
   * coordinator had seen all those replicas had).
   */
  record Written(FetchResult result, boolean superseded) {}

  private final KvNode node;
  private final String bucket;
  private final String key;
  private final byte[] context;
  private final boolean overCopy;
  private final Content content;
  private final Quorums quorums;
  private final boolean allowMult;
  private final boolean returnBody;
  private final List<Replica> replicas;
  private final CompletableFuture<Written> result = new CompletableFuture<>();

  private int received;
  private int synced;
  private int primaries;
  private boolean superseded = true;
  private final NodeSpread receivedOn;
  private final NodeSpread syncedOn;
  private int outstanding;
  private CausalObject stored;

  /** @param overCopy apply the write over the coordinator's copy, ignoring {@code context} ({@link Vnode#coordinate}) */
  PutCoordinator(KvNode node, String bucket, String key, byte[] context, boolean overCopy, Content content,
      Quorums quorums, boolean allowMult, boolean returnBody, List<Replica> replicas) {
    this.node = node;
    this.bucket = bucket;
    this.key = key;
    this.context = context;
    this.overCopy = overCopy;
    this.content = content;
    this.quorums = quorums;
    this.allowMult = allowMult;
    this.returnBody = returnBody;
    this.replicas = coordinatorFirst(replicas, node.id());
    this.receivedOn = new NodeSpread(replicas);
    this.syncedOn = new NodeSpread(replicas);
  }

  private static List<Replica> coordinatorFirst(List<Replica> replicas, String self) {
    List<Replica> ordered = new ArrayList<>();
    replicas.stream().filter(r -> r.node().equals(self)).forEach(ordered::add);
    replicas.stream().filter(r -> !r.node().equals(self)).forEach(ordered::add);
    return ordered;
  }

  CompletableFuture<Written> run() {
    if (replicas.size() < quorums.w()) {
      result.completeExceptionally(
          new QuorumUnreachableException("put", quorums.w(), replicas.size()));
      return result;
    }
    coordinate();
    return result;
  }

  /**
   * Asks the first replica (this node when it is one) to coordinate. A coordinator that does not
   * answer fails the write rather than passing it to the next replica: its answer may only have
   * been lost, and a second coordinator would store the same value again under another dot,
   * beside any write that replaces the first.
   */
  private void coordinate() {
    Replica coordinator = replicas.get(0);
    if (coordinator.node().equals(node.id())) {
      coordinateHere(coordinator);
      return;
    }
    CoordinatePut request = new CoordinatePut(coordinator.partition(), bucket, key, context,
        content, quorums.dw() > 0, allowMult, overCopy);
    node.call(coordinator.node(), request).whenComplete((answer, failure) -> {
      if (failure != null || !(answer instanceof PutAck ack)) {
        result.completeExceptionally(new QuorumUnreachableException("put", quorums.w(), 0));
        return;
      }
      List<Replica> others = expectAnswers(coordinator, CausalObjectCodec.decode(ack.object()));
      acked(coordinator, ack.synced(), ack.superseded());
      replicate(others, ack.object());
    });
  }

  /**
   * This node coordinates: the write is applied here, sent on to the other replicas, and only then
   * synced here, so this node's fsync and theirs overlap instead of following each other. The
   * coordinator's answer counts toward {@code dw} only once its sync is done, as any replica's.
   */
  private void coordinateHere(Replica coordinator) {
    Vnode vnode = node.vnode(coordinator.partition());
    Vnode.Stored applied;
    try {
      applied = vnode.coordinate(StorageKeys.encode(bucket, key), ContextCodec.decode(context), overCopy, content,
          quorums.dw() > 0, allowMult);
    } catch (RuntimeException e) {
      result.completeExceptionally(new QuorumUnreachableException("put", quorums.w(), 0));
      return;
    }
    List<Replica> others = expectAnswers(coordinator, applied.object());
    replicate(others, applied.record());
    boolean synced;
    try {
      synced = vnode.persist(applied).synced();
    } catch (RuntimeException e) {
      // Applied but not durable: not a vote for dw, nor for w (a replica that failed its write).
      acked(null, false, false);
      return;
    }
    acked(coordinator, synced, applied.superseded());
  }

  /** Records what the coordinator stored and how many answers are due; returns the replicas still to write. */
  private List<Replica> expectAnswers(Replica coordinator, CausalObject object) {
    List<Replica> others = new ArrayList<>(replicas);
    others.remove(coordinator);
    synchronized (this) {
      stored = object;
      outstanding = others.size() + 1;
    }
    return others;
  }

  private void replicate(List<Replica> others, byte[] encoded) {
    for (Replica r : others) {
      ReplicaPut put = new ReplicaPut(r.partition(), bucket, key, encoded,
          quorums.dw() > 0, allowMult, r.hintFor());
      node.call(r.node(), put).whenComplete((reply, error) -> {
        if (error == null && reply instanceof PutAck a) {
          acked(r, a.synced(), a.superseded());
        } else {
          acked(null, false, false);
        }
      });
    }
  }

  /** Counts one answer ({@code replica} null for a failure) and settles the write when it can. */
  private void acked(Replica replica, boolean wasSynced, boolean replaced) {
    Written success = null;
    QuorumUnreachableException failure = null;
    synchronized (this) {
      outstanding--;
      if (replica != null) {
        received++;
        receivedOn.add(replica);
        synced += wasSynced ? 1 : 0;
        if (wasSynced) {
          syncedOn.add(replica);
        }
        primaries += replica.primary() ? 1 : 0;
        superseded &= replaced;
      }
      if (result.isDone()) {
        return;
      }
      if (received >= quorums.w() && receivedOn.covers(quorums.w()) && synced >= quorums.dw()
          && syncedOn.covers(quorums.dw()) && primaries >= quorums.pw()) {
        success = new Written(returnBody
            ? Reconcile.answer(stored, allowMult)
            : new FetchResult(List.of(), new byte[0]), superseded);
      } else if (outstanding == 0) {
        failure = shortfall();
      }
    }
    if (success != null) {
      result.complete(success);
    } else if (failure != null) {
      result.completeExceptionally(failure);
    }
  }

  private QuorumUnreachableException shortfall() {
    if (received < quorums.w() || !receivedOn.covers(quorums.w())) {
      return new QuorumUnreachableException("put (w)", quorums.w(), Math.min(received, receivedOn.nodes()));
    }
    if (synced < quorums.dw() || !syncedOn.covers(quorums.dw())) {
      return new QuorumUnreachableException("put (dw)", quorums.dw(), Math.min(synced, syncedOn.nodes()));
    }
    return new QuorumUnreachableException("put (pw)", quorums.pw(), primaries);
  }
}
