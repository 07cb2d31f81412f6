package dev.canopy.storage.kv;

import java.util.concurrent.CompletableFuture;

/**
 * The operator's view and changes of the ring's membership, made at whichever member was asked
 * (Riak's {@code cluster join} and {@code leave} without the plan and commit step). Futures fail
 * with {@link MembershipRefusedException} when the change is refused, and then nothing changed.
 */
public interface RingAdmin {

  /** The ring as this node holds it, with this node's pending handoffs. */
  CompletableFuture<RingView> view();

  /**
   * Adds {@code node}, whose peer port listens on {@code address}, after checking it answers there
   * as that node (mutual TLS) with a fresh ring of its own and no data; the new ring goes to every
   * member, the new one included, and the moving partitions hand off from then on.
   */
  CompletableFuture<RingView> join(String node, String address);

  /**
   * Removes {@code node}: it learns the new ring first and hands every partition it holds to the
   * new owners while it keeps serving; once its pending handoffs are 0 it may be stopped.
   */
  CompletableFuture<RingView> leave(String node);
}
