package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.HolderEvent;
import dev.canopy.cloud.lease.LeaseViolation.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The invariants, checked after every simulated event:
 *
 * <ul>
 *   <li>No two nodes hold the lease at once, each judged from its own perspective (its core,
 *       asked at the current real time through its own clock). Checking at every event suffices:
 *       a holding can only begin at an event, so any overlap shows at the later beginning.
 *   <li>A node becomes holder only with a quorum of distinct acceptors that really accepted that
 *       ballot (read from the acceptors' own state, not from what the proposer claims).
 *   <li>A renewal extends only a lease still held.
 *   <li>An acceptor's promise never decreases between restarts, and a restarted acceptor promises
 *       and accepts nothing until Q (computed here from the configuration) has passed.
 *   <li>Fencing: each fresh acquisition mints epoch = max + 1 in a simulated fenced register;
 *       holders write with their epoch; the register accepts non-decreasing epochs only.
 * </ul>
 *
 * <p>A hypervisor pause freezes a node's clock, and no lease can cover that (PAXOSLEASE.md): a
 * node paused since the Prepare of the lease it holds is "excused" from the overlap check, and
 * fencing must stop it instead: its writes carry an older epoch and are refused, which is counted.
 */
final class SafetyChecker {

  record HolderChange(SimNode node, HolderEvent event) {}

  private final Simulation sim;
  private final int n;
  private final boolean[] holding;
  private final boolean[] excused;
  private final long[] epoch;
  private final long[] lastPromised;
  private final long[] lastPauseStartNanos;
  private final boolean[] inQuarantine;
  private final long[] quarantineStartLocalNanos;
  private final long[] quarantineNanos;
  private final Map<Long, Long> prepareSentNanos = new HashMap<>();
  private final Map<Long, Set<Integer>> acceptedBy = new HashMap<>();
  private long maxEpoch;
  private long registerEpoch;
  private long lastAcceptedEpoch;
  private boolean leaderPresent;
  long fencedOffWrites;
  long acceptedWrites;
  long excusedOverlapEvents;

  SafetyChecker(Simulation sim) {
    this.sim = sim;
    this.n = sim.nodes.length;
    holding = new boolean[n];
    excused = new boolean[n];
    epoch = new long[n];
    lastPromised = new long[n];
    lastPauseStartNanos = new long[n];
    java.util.Arrays.fill(lastPauseStartNanos, Long.MIN_VALUE);
    inQuarantine = new boolean[n];
    quarantineStartLocalNanos = new long[n];
    quarantineNanos = new long[n];
  }

  boolean leaderPresent() {
    return leaderPresent;
  }

  /** When the Prepare of {@code ballot} was sent, in simulated real time (null if never). */
  Long prepareSentAt(long ballot) {
    return prepareSentNanos.get(ballot);
  }

  void onPrepareSent(long ballot) {
    prepareSentNanos.put(ballot, sim.now());
  }

  /**
   * A new core starts at {@code node}: after a (re)start, or after adopting a controller set, with
   * the quarantine the configuration says it owes ({@code quarantineNanos}, computed from the
   * configuration here, not asked of the core). Its acceptor state starts over.
   */
  void onStart(SimNode node, boolean quarantine, long quarantineNanos) {
    lastPromised[node.id] = Ballot.NONE;
    inQuarantine[node.id] = quarantine && quarantineNanos > 0;
    quarantineStartLocalNanos[node.id] = node.clock.localNanos(sim.now());
    this.quarantineNanos[node.id] = quarantineNanos;
    holding[node.id] = false;
    excused[node.id] = false;
    epoch[node.id] = 0;
  }

  void onCrash(SimNode node) {
    holding[node.id] = false;
    excused[node.id] = false;
    epoch[node.id] = 0;
  }

  void onPause(SimNode node) {
    lastPauseStartNanos[node.id] = sim.now();
    if (holding[node.id]) {
      excused[node.id] = true;
    }
  }

  void afterEvent(List<HolderChange> changes) {
    scanAcceptors();
    for (HolderChange change : changes) {
      if (change.event() instanceof BecameHolder became) {
        onBecameHolder(change.node(), became);
      }
    }
    checkHolders();
  }

  private void scanAcceptors() {
    for (int id = 1; id < n; id++) {
      SimNode node = sim.nodes[id];
      if (!node.isUp()) {
        continue;
      }
      Acceptor acceptor = node.core.acceptor();
      long promised = acceptor.promisedBallot();
      if (promised < lastPromised[id]) {
        fail(Kind.PROMISE_DECREASED, "node " + id + " promised " + Ballot.format(promised)
            + " after " + Ballot.format(lastPromised[id]));
      }
      lastPromised[id] = promised;
      if (acceptor.acceptedBallot() != Ballot.NONE) {
        acceptedBy.computeIfAbsent(acceptor.acceptedBallot(), b -> new TreeSet<>()).add(id);
      }
      if (inQuarantine[id]) {
        long sinceStart = node.clock.localNanos(sim.now()) - quarantineStartLocalNanos[id];
        if (sinceStart >= quarantineNanos[id]) {
          inQuarantine[id] = false;
        } else if (promised != Ballot.NONE || acceptor.acceptedBallot() != Ballot.NONE) {
          fail(Kind.QUARANTINE_BROKEN, "node " + id + " restarted " + sinceStart / 1_000_000
              + " ms ago (Q = " + quarantineNanos[id] / 1_000_000 + " ms) but promised "
              + Ballot.format(promised) + ", accepted " + Ballot.format(acceptor.acceptedBallot()));
        }
      }
    }
  }

  private void onBecameHolder(SimNode node, BecameHolder became) {
    int id = node.id;
    Set<Integer> accepted = acceptedBy.getOrDefault(became.ballot(), Set.of());
    int quorum = node.config.quorumSize();
    if (accepted.size() < quorum || !accepted.containsAll(became.acceptorIds())) {
      fail(Kind.QUORUM_NOT_DISTINCT, "node " + id + " became holder with " + Ballot.format(became.ballot())
          + " claiming acceptors " + became.acceptorIds() + " but only " + accepted + " accepted it (quorum "
          + quorum + ")");
    }
    if (became.freshAcquisition()) {
      epoch[id] = ++maxEpoch;
      registerEpoch = Math.max(registerEpoch, epoch[id]);
    } else if (!holding[id]) {
      fail(Kind.RENEWAL_WITHOUT_LEASE, "node " + id + " renewed with " + Ballot.format(became.ballot())
          + " but did not hold the lease just before");
    }
    Long prepared = prepareSentNanos.get(became.ballot());
    excused[id] = prepared != null && lastPauseStartNanos[id] >= prepared;
  }

  private void checkHolders() {
    List<Integer> holders = new ArrayList<>();
    List<Integer> excusedHolders = new ArrayList<>();
    for (int id = 1; id < n; id++) {
      SimNode node = sim.nodes[id];
      boolean holds = node.isUp() && node.core.holdsLease(node.clock.now(sim.now()));
      holding[id] = holds;
      if (!holds) {
        excused[id] = false;
        continue;
      }
      (excused[id] ? excusedHolders : holders).add(id);
      if (!node.paused) {
        fencedWrite(node);
      }
    }
    if (holders.size() > 1) {
      StringBuilder detail = new StringBuilder("holders at once:");
      for (int id : holders) {
        Proposer p = sim.nodes[id].core.proposer();
        detail.append(" node ").append(id).append(" (ballot ").append(Ballot.format(p.heldBallot()))
            .append(", epoch ").append(epoch[id]).append(")");
      }
      fail(Kind.TWO_HOLDERS, detail.toString());
    }
    if (!holders.isEmpty() && !excusedHolders.isEmpty()) {
      excusedOverlapEvents++;
    }
    leaderPresent = !holders.isEmpty();
  }

  /** A holder uses its epoch only while its lease has more than the fence margin left. */
  private void fencedWrite(SimNode node) {
    LeaseNode core = node.core;
    long now = core.nanos(node.clock.now(sim.now()));
    long marginNanos = node.config.fenceMarginMs() * 1_000_000L;
    if (!Deadlines.before(now, core.proposer().leaseDeadlineNanos() - marginNanos)) {
      return;
    }
    long writerEpoch = epoch[node.id];
    if (writerEpoch < registerEpoch) {
      fencedOffWrites++;
      return;
    }
    if (writerEpoch < lastAcceptedEpoch) {
      fail(Kind.EPOCH_REGRESSED, "register accepted epoch " + writerEpoch + " after " + lastAcceptedEpoch);
    }
    registerEpoch = writerEpoch;
    lastAcceptedEpoch = writerEpoch;
    acceptedWrites++;
  }

  private void fail(Kind kind, String detail) {
    if (sim.overlapOnly && kind != Kind.TWO_HOLDERS) {
      return;
    }
    throw new LeaseViolation(kind, sim.seed, sim.now(), sim.bugs, detail + " [plan " + sim.plan.profile() + "]");
  }
}
