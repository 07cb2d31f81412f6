package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.QuorumUnreachableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's totals since it started. Each is counted once, here, and read by both {@code /stats}
 * ({@link KvNode#stats()}) and the storage process's {@code /metrics}, so the two never disagree.
 */
public final class KvCounters {

  /** What a client asks a node to coordinate. */
  public enum Request {
    GET,
    PUT,
    DELETE
  }

  /** Why a request failed. */
  public enum Failure {
    /** Fewer replicas (or primaries) answered than its quorum needed: the node's peers are down or slow. */
    QUORUM,
    /** It could not run as given (a bad name, quorum value or context): the client's mistake. */
    INVALID,
    OTHER
  }

  /** What a replica serves a peer that coordinates a request. */
  public enum ReplicaRequest {
    READ,
    WRITE
  }

  private final LongAdder[] requests = adders(Request.values().length);
  private final LongAdder[] failures = adders(Request.values().length * Failure.values().length);
  private final LongAdder[] replicaRequests = adders(ReplicaRequest.values().length);
  private final LongAdder supersedingPuts = new LongAdder();
  private final LongAdder supersedingRewrites = new LongAdder();
  private final LongAdder readRepairs = new LongAdder();

  KvCounters() {}

  /** Requests of this kind that completed, failed ones included. */
  public long requests(Request request) {
    return requests[request.ordinal()].sum();
  }

  public long failures(Request request, Failure failure) {
    return failures[failureIndex(request, failure)].sum();
  }

  /** Requests of this kind served for peers (this node's own share of what it coordinates is not one). */
  public long replicaRequests(ReplicaRequest request) {
    return replicaRequests[request.ordinal()].sum();
  }

  /** Puts written over the coordinator's copy without a read first; each is one of {@link Request#PUT}'s too. */
  public long supersedingPuts() {
    return supersedingPuts.sum();
  }

  /** Superseding puts written a second time, after a read, because a replica held a value the coordinator had not seen. */
  public long supersedingRewrites() {
    return supersedingRewrites.sum();
  }

  public long readRepairs() {
    return readRepairs.sum();
  }

  /**
   * Counts {@code request} when it completes, and why if it fails; returns the same future, so a
   * caller sees a failure exactly as it did before it was counted.
   */
  <T> CompletableFuture<T> counted(Request request, CompletableFuture<T> running) {
    running.whenComplete((answer, error) -> {
      requests[request.ordinal()].increment();
      if (error != null) {
        failures[failureIndex(request, failureOf(error))].increment();
      }
    });
    return running;
  }

  /**
   * Counts a peer's request that reads or writes one of this node's replicas for a client's request
   * the peer coordinates; handoff, anti-entropy, listing and gossip have figures of their own or none.
   */
  void servedForPeer(Message request) {
    if (request instanceof Message.ReplicaGet || request instanceof Message.FormerOwnerGet) {
      replicaRequests[ReplicaRequest.READ.ordinal()].increment();
    } else if (request instanceof Message.CoordinatePut || request instanceof Message.ReplicaPut) {
      replicaRequests[ReplicaRequest.WRITE.ordinal()].increment();
    }
  }

  void supersedingPut() {
    supersedingPuts.increment();
  }

  void supersedingRewrite() {
    supersedingRewrites.increment();
  }

  void readRepair() {
    readRepairs.increment();
  }

  private static Failure failureOf(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof QuorumUnreachableException) {
      return Failure.QUORUM;
    }
    return cause instanceof InvalidRequestException ? Failure.INVALID : Failure.OTHER;
  }

  private static int failureIndex(Request request, Failure failure) {
    return request.ordinal() * Failure.values().length + failure.ordinal();
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
