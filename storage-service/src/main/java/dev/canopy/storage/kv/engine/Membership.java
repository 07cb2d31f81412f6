package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.MembershipRefusedException;
import dev.canopy.storage.kv.MembershipRefusedException.Reason;
import dev.canopy.storage.kv.RingAdmin;
import dev.canopy.storage.kv.RingView;
import dev.canopy.storage.kv.engine.Message.MemberProbe;
import dev.canopy.storage.kv.engine.Message.MemberState;
import dev.canopy.storage.kv.engine.Message.RingUpdate;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.kv.ring.RingCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Joins and leaves made at this node, as Riak's claimant makes them: the next ring is computed
 * here from the ring this node holds, adopted, and spread to every member. One change at a time
 * per node; two operators changing membership at two members at once would make two rings of the
 * same version, so membership changes are run one after another (as the docs say).
 *
 * <p>Join: the node to add must answer over the peer port at the address given (the transport
 * checks its certificate names that id) with a ring of its own in which it is alone, older than
 * the next ring, and no data: a member of another multi-member ring, or a node holding data, is
 * refused rather than merged. Leave: the leaving node is told first (it must answer), since it is
 * no longer among the members the spread reaches and only it can hand its partitions off.
 */
public final class Membership implements RingAdmin {

  /** Storage ids appear in certificates and ring files: short, plain names. */
  public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");
  /**
   * A peer address is a host: a DNS name, an IPv4 or an IPv6 literal (two colons at least, so a
   * {@code host:port} is not taken for one), without port or brackets.
   */
  public static final Pattern ADDRESS =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|(?=[^:]*:[^:]*:)[0-9A-Fa-f:.]{2,45}");

  /**
   * Calls of the probe before the node counts as unreachable: its first call is the first TLS
   * handshake between two processes, which on a loaded host can outlast one call's timeout.
   */
  static final int PROBE_ATTEMPTS_MAX = 3;

  private final KvNode node;
  private final AtomicBoolean changing = new AtomicBoolean();

  public Membership(KvNode node) {
    this.node = node;
  }

  @Override
  public CompletableFuture<RingView> view() {
    return CompletableFuture.completedFuture(currentView());
  }

  @Override
  public CompletableFuture<RingView> join(String id, String address) {
    try {
      checkId(id);
      if (address == null || address.length() > 253 || !ADDRESS.matcher(address).matches()) {
        throw refused(Reason.INVALID, "'" + address + "' is not a peer address (a host name or IP address, without port)");
      }
      Ring current = node.ring();
      if (current.members().contains(id)) {
        throw refused(Reason.CONFLICT, "storage node " + id + " is already a member of the ring " + current.members());
      }
      Ring next = current.join(id, address).ring();
      return exclusively(() -> probe(id, address, next).thenCompose(state -> {
        checkJoinable(id, state, next);
        commit(current, next);
        return node.spreadRing(next).thenApply(v -> currentView());
      }));
    } catch (MembershipRefusedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<RingView> leave(String id) {
    try {
      checkId(id);
      Ring current = node.ring();
      if (!current.members().contains(id)) {
        throw refused(Reason.NOT_A_MEMBER, "storage node " + id + " is not a member of the ring " + current.members());
      }
      if (current.members().size() == 1) {
        throw refused(Reason.CONFLICT, "storage node " + id + " is the ring's last member: it cannot leave");
      }
      Ring next = current.leave(id).ring();
      if (id.equals(node.id())) {
        return exclusively(() -> {
          commit(current, next);
          return node.spreadRing(next).thenApply(v -> currentView());
        });
      }
      return exclusively(() -> tell(id, next).thenCompose(v -> {
        commit(current, next);
        return node.spreadRing(next).thenApply(x -> currentView());
      }));
    } catch (MembershipRefusedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The node to add, dialed at its address: its state, or UNREACHABLE (and it is not dialable any more). */
  private CompletableFuture<MemberState> probe(String id, String address, Ring next) {
    // The transport dials by the rings it follows: let it reach the candidate before the ring says so.
    node.previewRing(next);
    return probeAttempt(id, PROBE_ATTEMPTS_MAX).handle((reply, error) -> {
      if (error != null || !(reply instanceof MemberState state)) {
        node.previewRing(node.ring());
        throw refused(Reason.UNREACHABLE, "storage node " + id + " does not answer as " + id + " on its peer port at "
            + address + ": " + (error == null ? "an unexpected answer" : rootMessage(error)) + "; nothing changed");
      }
      return state;
    });
  }

  private CompletableFuture<Message> probeAttempt(String id, int attemptsLeft) {
    return node.call(id, new MemberProbe()).handle((reply, error) -> error == null || attemptsLeft <= 1
            ? (error == null ? CompletableFuture.completedFuture(reply) : CompletableFuture.<Message>failedFuture(error))
            : probeAttempt(id, attemptsLeft - 1))
        .thenCompose(java.util.function.Function.identity());
  }

  private void checkJoinable(String id, MemberState state, Ring next) {
    Ring theirs = RingCodec.decode(state.ring());
    String problem = !theirs.members().equals(java.util.List.of(id))
        ? "is a member of another ring with the storage nodes " + theirs.members()
        : state.holdingData() ? "holds data of its own"
        : theirs.version() >= next.version() ? "has a ring of version " + theirs.version() + ", changed since it started alone"
        : null;
    if (problem != null) {
      node.previewRing(node.ring());
      throw refused(Reason.CONFLICT, "storage node " + id + " " + problem
          + ": only a node started alone on a new data folder can join; nothing changed");
    }
  }

  /** Tells the leaving node its new ring; it must adopt it, since only it can hand its partitions off. */
  private CompletableFuture<Void> tell(String id, Ring next) {
    return node.call(id, new RingUpdate(RingCodec.encode(next))).handle((reply, error) -> {
      if (error != null || !(reply instanceof RingUpdate theirs)) {
        throw refused(Reason.UNREACHABLE, "storage node " + id + " does not answer on its peer port ("
            + (error == null ? "an unexpected answer" : rootMessage(error)) + "): a node leaves only while it runs,"
            + " to hand its partitions off; nothing changed");
      }
      if (RingCodec.decode(theirs.ring()).version() != next.version()) {
        throw refused(Reason.CONFLICT, "storage node " + id + " holds a newer ring than this node: ask again; nothing changed");
      }
      return null;
    });
  }

  /** Adopts {@code next} here, unless the ring changed since {@code current} was read. */
  private void commit(Ring current, Ring next) {
    synchronized (node) {
      if (node.ring() != current || !node.installRing(next)) {
        throw refused(Reason.CONFLICT, "the ring changed while the change was checked (now version "
            + node.ring().version() + "): ask again");
      }
    }
  }

  private CompletableFuture<RingView> exclusively(java.util.function.Supplier<CompletableFuture<RingView>> change) {
    if (!changing.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          refused(Reason.CONFLICT, "another membership change is under way at this node: ask again when it is done"));
    }
    CompletableFuture<RingView> started;
    try {
      started = change.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return started.whenComplete((view, error) -> changing.set(false));
  }

  private RingView currentView() {
    return new RingView(node.id(), node.ring(), node.handoffsPending().size());
  }

  private static void checkId(String id) {
    if (id == null || !NODE_ID.matcher(id).matches()) {
      throw refused(Reason.INVALID, "'" + id + "' is not a storage node id (letters, digits and '-', at most 32)");
    }
  }

  private static MembershipRefusedException refused(Reason reason, String message) {
    return new MembershipRefusedException(reason, message);
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
