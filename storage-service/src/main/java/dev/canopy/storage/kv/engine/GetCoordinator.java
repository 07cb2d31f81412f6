package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.QuorumUnreachableException;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.engine.Message.GetReply;
import dev.canopy.storage.kv.engine.Message.Reap;
import dev.canopy.storage.kv.engine.Message.ReplicaGet;
import dev.canopy.storage.kv.engine.Message.ReplicaPut;
import dev.canopy.storage.kv.ring.Replica;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One read, as Riak's get FSM runs it: every replica in the preference list is asked; the read
 * answers once {@code r} have (a missing key counts, Riak's notfound_ok) with {@code pr} of them
 * primaries, merging what they hold. It keeps listening until every replica has answered or
 * failed, then repairs: each replica that answered something older than (or different from) the
 * merge of all answers gets the merge (read repair). When every primary answered the same
 * tombstone, the tombstone is reaped from them (Riak's delete_mode immediate after a full read).
 */
final class GetCoordinator {

  private final KvNode node;
  private final String bucket;
  private final String key;
  private final int r;
  private final int pr;
  private final int n;
  private final boolean allowMult;
  private final List<Replica> replicas;
  private final CompletableFuture<FetchResult> result = new CompletableFuture<>();
  private final Map<Replica, CausalObject> answers = new LinkedHashMap<>();
  private int failed;
  private int primaries;

  GetCoordinator(KvNode node, String bucket, String key, int r, int pr, int n, boolean allowMult,
      List<Replica> replicas) {
    this.node = node;
    this.bucket = bucket;
    this.key = key;
    this.r = r;
    this.pr = pr;
    this.n = n;
    this.allowMult = allowMult;
    this.replicas = replicas;
  }

  CompletableFuture<FetchResult> run() {
    if (replicas.isEmpty()) {
      result.completeExceptionally(new QuorumUnreachableException("get", Math.max(r, 1), 0));
      return result;
    }
    for (Replica replica : replicas) {
      node.call(replica.node(), new ReplicaGet(replica.partition(), bucket, key))
          .whenComplete((reply, error) -> answered(replica, error == null ? reply : null));
    }
    return result;
  }

  private void answered(Replica replica, Message reply) {
    FetchResult success = null;
    QuorumUnreachableException failure = null;
    boolean allIn;
    synchronized (this) {
      if (reply instanceof GetReply got) {
        answers.put(replica, got.object().length == 0
            ? CausalObject.EMPTY : CausalObjectCodec.decode(got.object()));
        primaries += replica.primary() ? 1 : 0;
      } else {
        failed++;
      }
      allIn = answers.size() + failed == replicas.size();
      if (!result.isDone()) {
        if (answers.size() >= r && primaries >= pr) {
          success = Reconcile.answer(merged(), allowMult);
        } else if (allIn) {
          failure = answers.size() < r
              ? new QuorumUnreachableException("get (r)", r, answers.size())
              : new QuorumUnreachableException("get (pr)", pr, primaries);
        }
      }
    }
    if (success != null) {
      result.complete(success);
    } else if (failure != null) {
      result.completeExceptionally(failure);
    }
    if (allIn) {
      repair();
    }
  }

  private CausalObject merged() {
    return Reconcile.merge(answers.values(), allowMult);
  }

  /** Runs once, after the last answer: read repair, or the reap of a fully seen tombstone. */
  private void repair() {
    CausalObject merged;
    Map<Replica, CausalObject> seen;
    synchronized (this) {
      merged = merged();
      seen = new LinkedHashMap<>(answers);
    }
    if (merged.isEmpty()) {
      return;
    }
    boolean allSame = seen.values().stream().allMatch(merged::equals);
    if (allSame && merged.isTombstone() && seen.size() == n
        && seen.keySet().stream().allMatch(Replica::primary)) {
      byte[] bytes = CausalObjectCodec.encode(merged);
      for (Replica replica : seen.keySet()) {
        node.call(replica.node(), new Reap(replica.partition(), bucket, key, bytes));
      }
      return;
    }
    if (node.bugs().skipReadRepair || allSame) {
      return;
    }
    // Encoded only now: most reads find every replica agreeing and repair nothing.
    byte[] bytes = CausalObjectCodec.encode(merged);
    seen.forEach((replica, object) -> {
      if (!object.equals(merged)) {
        node.counters().readRepair();
        node.call(replica.node(), new ReplicaPut(replica.partition(), bucket, key, bytes, false,
            allowMult, replica.hintFor()));
      }
    });
  }
}
