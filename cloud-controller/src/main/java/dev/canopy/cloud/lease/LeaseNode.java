package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRejected;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One controller's PaxosLease: its acceptor, proposer and learner, behind the pure step functions
 * {@code (state, message | timer, now) -> effects}. No thread, clock, socket or randomness of its
 * own: the driver passes the clock readings in, carries out the {@link Effects}, and injects the
 * random generator used for backoff jitter.
 *
 * <p>Messages a role sends to this same node (a broadcast reaches our own acceptor too) are
 * delivered here, within the step, and never appear in the returned sends.
 *
 * <p>Not thread-safe: call it from one thread (or under one lock).
 */
public final class LeaseNode {

  /** A step triggers at most a few local deliveries; more means a loop, which is a bug. */
  private static final int LOCAL_DELIVERIES_MAX = 64;

  private final LeaseConfig config;
  private final int selfId;
  private final int incarnation;
  private final RandomGenerator random;
  private final long configHash;
  private final Set<KnownBug> bugs;
  private final Acceptor acceptor;
  private final Proposer proposer;
  private final Learner learner;

  private long foreignConfigDrops;
  private long invalidSenderDrops;

  /**
   * @param incarnation this process's start counter (1..65535), bumped and fsynced at every start
   * @param random the source of backoff jitter; seed it in tests for exact replays
   */
  public LeaseNode(LeaseConfig config, int selfId, int incarnation, RandomGenerator random) {
    this(config, selfId, incarnation, random, EnumSet.noneOf(KnownBug.class));
  }

  LeaseNode(LeaseConfig config, int selfId, int incarnation, RandomGenerator random, Set<KnownBug> bugs) {
    if (!config.controllerIds().contains(selfId)) {
      throw new IllegalArgumentException("selfId " + selfId + " is not a configured controller");
    }
    if (incarnation < 1 || incarnation > Ballot.INCARNATION_MAX) {
      throw new IllegalArgumentException("incarnation must be in 1.." + Ballot.INCARNATION_MAX + ": " + incarnation);
    }
    this.config = config;
    this.selfId = selfId;
    this.incarnation = incarnation;
    this.random = random;
    this.configHash = config.configHash();
    this.bugs = Set.copyOf(bugs);
    this.acceptor = new Acceptor(config, selfId, bugs);
    this.proposer = new Proposer(config, selfId, incarnation, random, bugs);
    this.learner = new Learner(selfId);
  }

  /**
   * Starts seeking the lease. {@code quarantine} is true whenever an earlier process of this
   * controller may have answered lease messages (any restart); only a cold start of the whole
   * cluster may pass false.
   */
  public Effects start(LocalNow now, boolean quarantine) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    if (quarantine) {
      acceptor.startQuarantine(nowNanos);
    }
    proposer.start(nowNanos, out);
    return finish(out, nowNanos);
  }

  /**
   * Starts a core that has just adopted a new controller set (a join or a leave, or a controller
   * joining for the first time): its acceptor grants and its proposer wins nothing until every
   * lease granted under the previous set has ended (docs/paxoslease.md, "Changing the controller
   * set").
   */
  public Effects startAfterReconfiguration(LocalNow now) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    if (!bugs.contains(KnownBug.NO_RECONFIGURATION_QUARANTINE)) {
      acceptor.startQuarantine(nowNanos, config.reconfigurationQuarantineNanos());
    }
    proposer.start(nowNanos, out);
    return finish(out, nowNanos);
  }

  /**
   * Ends this core because the controller set changed: a lease held is given up at once ({@link
   * Effects.StopReason#RECONFIGURED}), nothing is sent, and the core must not be called again.
   * The driver then starts {@link #reconfigured} (or nothing, if this controller left).
   */
  public Effects retire(LocalNow now) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    proposer.retire(out);
    Effects built = finish(out, nowNanos);
    return new Effects(java.util.List.of(), java.util.List.of(), built.holderEvents());
  }

  /**
   * This controller's core under the next controller set, not yet started: same process (same
   * incarnation, same random source), ballots continuing after this core's.
   */
  public LeaseNode reconfigured(LeaseConfig next) {
    if (next.version() <= config.version()) {
      throw new IllegalArgumentException(
          "membership version " + next.version() + " is not after this core's " + config.version());
    }
    LeaseNode successor = new LeaseNode(next.withLocalDuration(config.leaseDurationMs(), config.fenceMarginMs()),
        selfId, incarnation, random, bugs);
    successor.proposer.continueBallotsAfter(proposer);
    return successor;
  }

  public Effects onMessage(LeaseMessage message, LocalNow now) {
    if (message.configHash() != configHash) {
      foreignConfigDrops++;
      return Effects.none();
    }
    if (!validSender(message)) {
      invalidSenderDrops++;
      return Effects.none();
    }
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    deliver(message, nowNanos, out);
    return finish(out, nowNanos);
  }

  public Effects onTimer(TimerKind kind, LocalNow now) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    proposer.onTimer(kind, nowNanos, out);
    return finish(out, nowNanos);
  }

  /** P6: a graceful release naming {@code successorId} (or {@link LeaseMessage#NO_NODE}). */
  public Effects release(int successorId, LocalNow now) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    proposer.release(successorId, nowNanos, out);
    return finish(out, nowNanos);
  }

  /** Stop seeking (e.g. the grid member lost its majority: release) or seek again. */
  public Effects setSeeking(boolean seeking, LocalNow now) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    proposer.setSeeking(seeking, nowNanos, out);
    return finish(out, nowNanos);
  }

  /** The driver saw the monotonic clock stop while uptime ran on: drop the lease, quarantine. */
  public Effects onSuspendDetected(LocalNow now) {
    long nowNanos = nanos(now);
    EffectsBuilder out = new EffectsBuilder();
    proposer.onSuspended(nowNanos, out);
    acceptor.startQuarantine(nowNanos);
    return finish(out, nowNanos);
  }

  public boolean holdsLease(LocalNow now) {
    return proposer.isHolder(nanos(now));
  }

  /** The current lease as far as this node knows it (for reporting only). */
  public Optional<LeaseView> currentLease(LocalNow now) {
    return learner.current(nanos(now));
  }

  /** Messages dropped because their sender runs another cluster configuration. */
  public long foreignConfigDrops() {
    return foreignConfigDrops;
  }

  /** True once any message with another configuration hash arrived: an operator must look. */
  public boolean configMismatchAlarm() {
    return foreignConfigDrops > 0;
  }

  public long invalidSenderDrops() {
    return invalidSenderDrops;
  }

  public int selfId() {
    return selfId;
  }

  public LeaseConfig config() {
    return config;
  }

  Acceptor acceptor() {
    return acceptor;
  }

  Proposer proposer() {
    return proposer;
  }

  /** The core's notion of now: the monotonic clock, or (test-only bug) the wall clock. */
  long nanos(LocalNow now) {
    if (bugs.contains(KnownBug.READS_WALL_CLOCK)) {
      return Math.multiplyExact(now.wallClockMillis(), 1_000_000L);
    }
    return now.monotonicNanos();
  }

  /**
   * The transport has already matched the sender id to its certificate; here: a configured
   * controller other than ourselves, and an owner field that names the sender.
   */
  private boolean validSender(LeaseMessage message) {
    int sender = message.senderId();
    if (sender == selfId || !config.controllerIds().contains(sender)) {
      return false;
    }
    if (message instanceof ProposeRequest p) {
      return p.owner() == sender;
    }
    if (message instanceof Release r) {
      return r.owner() == sender;
    }
    if (message instanceof LearnChosen l) {
      return l.owner() == sender;
    }
    return true;
  }

  private void deliver(LeaseMessage message, long nowNanos, EffectsBuilder out) {
    boolean fromSelf = message.senderId() == selfId;
    if (message instanceof PrepareRequest request) {
      // What our acceptor sees, our proposer may outbid: its next ballot then is not refused.
      proposer.observeBallot(request.ballot());
      acceptor.onPrepare(request, nowNanos).ifPresent(reply -> out.send(request.senderId(), reply));
    } else if (message instanceof ProposeRequest request) {
      acceptor.onPropose(request, nowNanos).ifPresent(reply -> out.send(request.senderId(), reply));
    } else if (message instanceof Release release) {
      acceptor.onRelease(release, nowNanos);
      if (!fromSelf) {
        learner.onRelease(release);
        proposer.onRelease(release, nowNanos, out);
      }
    } else if (message instanceof LearnChosen learn) {
      if (!fromSelf) {
        learner.onLearnChosen(learn, nowNanos);
        proposer.onLearnChosen(learn, nowNanos, out);
      }
    } else if (message instanceof PrepareRejected reply) {
      proposer.onPrepareRejected(reply, nowNanos, out);
    } else if (message instanceof PreparePreviouslyAccepted reply) {
      proposer.onPreviouslyAccepted(reply, nowNanos, out);
    } else if (message instanceof PrepareCurrentlyOpen reply) {
      proposer.onCurrentlyOpen(reply, nowNanos, out);
    } else if (message instanceof ProposeAccepted reply) {
      proposer.onProposeAccepted(reply, nowNanos, out);
    } else if (message instanceof ProposeRejected reply) {
      proposer.onProposeRejected(reply, nowNanos, out);
    }
  }

  /**
   * Delivers what this step sent to ourselves (in order, including what those deliveries send),
   * keeps the learner in step with our own holding, and returns only what leaves the node.
   */
  private Effects finish(EffectsBuilder out, long nowNanos) {
    int deliveries = 0;
    for (int i = 0; i < out.sends().size(); i++) {
      Effects.Send send = out.sends().get(i);
      if (send.isBroadcast() || send.toNodeId() == selfId) {
        if (++deliveries > LOCAL_DELIVERIES_MAX) {
          throw new IllegalStateException("local delivery loop at node " + selfId);
        }
        deliver(send.message(), nowNanos, out);
      }
    }
    EffectsBuilder external = new EffectsBuilder();
    boolean anyoneElse = config.controllerIds().size() > 1;
    for (Effects.Send send : out.sends()) {
      if (send.toNodeId() != selfId && (anyoneElse || !send.isBroadcast())) {
        external.send(send.toNodeId(), send.message());
      }
    }
    Effects built = out.build();
    for (Effects.HolderEvent event : built.holderEvents()) {
      learner.onHolderEvent(event);
    }
    acceptor.checkInvariants(nowNanos);
    proposer.checkInvariants(nowNanos);
    return new Effects(external.sends(), built.timers(), built.holderEvents());
  }
}
