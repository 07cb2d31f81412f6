package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.Ballot;
import dev.canopy.cloud.lease.Effects;
import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.StoppedHolding;
import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.cloud.lease.LeaseNode;
import dev.canopy.cloud.lease.LocalNow;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one controller's {@link LeaseNode} against the real world: every core call happens on one
 * Vert.x context (so the core needs no lock), with the injected clocks read at each call; the
 * core's timers become Vert.x timers (one per kind, a new request replacing the pending one); its
 * sends go to the {@link LeaseChannel}; its holder events go to the listeners, on that context,
 * before the step's messages leave (so a controller stops acting before a Release lets a
 * successor start). Once a second it compares uptime with the monotonic clock to detect a
 * suspend of this machine.
 *
 * <p>Everything the caller reads from another thread ({@link #status}, {@link #holdsLease}) comes
 * from an immutable snapshot taken after each step, never from the core itself.
 *
 * <p>The context is the one current where the service is constructed. Vert.x 5 gives every
 * non-Vert.x thread one sticky event loop, so a service built on a main thread shares it with
 * whatever else was built there; construct it inside a verticle of its own to keep slow work
 * elsewhere from delaying renewals (a late timer costs liveness, never safety: the core checks
 * every deadline against the clock, not against the timer).
 */
public final class LeaseService {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseService.class);
  static final long SUSPEND_CHECK_INTERVAL_MS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private volatile LeaseConfig config;
  private final int selfId;
  private final int incarnation;
  /** Replaced when the controller set changes; touched on the context only. */
  private LeaseNode node;
  private final LeaseChannel channel;
  private final LeaseClocks clocks;
  private final SuspendDetector suspendDetector;
  private final List<Consumer<BecameHolder>> becameListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<StoppedHolding>> stoppedListeners = new CopyOnWriteArrayList<>();

  // Touched on the context only.
  private final LeaseTimers timers;
  private boolean started;
  private boolean coreStarted;
  private boolean seeking = true;
  private long suspendTimer = -1;
  /** When this node's acceptor quarantine ends (monotonic), for the status; the core keeps its own. */
  private volatile long quarantineEndNanos;
  private volatile boolean quarantineStarted;

  private volatile boolean closed;
  /** This controller left the controller set: its core is retired and is not called again. */
  private volatile boolean left;
  private volatile LeaseSnapshot snapshot = LeaseSnapshot.NONE;
  private volatile long epoch;
  private volatile boolean coreConfigAlarm;

  /**
   * @param incarnation from {@link IncarnationCounter#next} for this process start
   * @param random backoff jitter; any generator, seeded in tests
   */
  public LeaseService(Vertx vertx, LeaseConfig config, int selfId, int incarnation, RandomGenerator random,
      LeaseChannel channel, LeaseClocks clocks) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    this.selfId = selfId;
    this.incarnation = incarnation;
    this.node = new LeaseNode(config, selfId, incarnation, random);
    this.channel = channel;
    this.clocks = clocks;
    this.suspendDetector = new SuspendDetector(config.fenceMarginMs());
    this.timers = new LeaseTimers(vertx, clocks.monotonicNanos(), this::onContext, this::onTimer);
  }

  /** Called on the service's context, before the step's messages are sent. Register before {@link #start}. */
  public void onBecameHolder(Consumer<BecameHolder> listener) {
    becameListeners.add(listener);
  }

  public void onStoppedHolding(Consumer<StoppedHolding> listener) {
    stoppedListeners.add(listener);
  }

  /**
   * Starts the channel, then the core: quarantined (A4) unless the group has one controller,
   * which takes the lease at once. Completes when both run.
   */
  public Future<Void> start() {
    Promise<Void> promise = Promise.promise();
    onContext(() -> {
      if (started || closed) {
        promise.fail(new IllegalStateException("the lease service starts once, before close"));
        return;
      }
      started = true;
      channel.start(this::onInbound).onComplete(done -> onContext(() -> {
        if (done.failed() || closed) {
          promise.fail(done.failed() ? done.cause() : new IllegalStateException("closed while starting"));
          return;
        }
        boolean quarantine = config.quarantineNanos() > 0;
        LocalNow now = now();
        coreStarted = true;
        if (quarantine) {
          quarantineEndNanos = now.monotonicNanos() + config.quarantineNanos();
          quarantineStarted = true;
        }
        apply(node.start(now, quarantine));
        if (!seeking) {
          apply(node.setSeeking(false, now()));
        }
        suspendDetector.observe(now.monotonicNanos(), clocks.uptimeSeconds().getAsDouble());
        suspendTimer = vertx.setPeriodic(SUSPEND_CHECK_INTERVAL_MS, id -> onContext(this::checkSuspend));
        LOG.info("lease: controller {} started (incarnation {}, quarantine {} ms, lease {} ms)", selfId, incarnation,
            quarantine ? config.quarantineNanos() / 1_000_000 : 0, config.leaseDurationMs());
        promise.complete();
      }));
    });
    return promise.future();
  }

  /**
   * Adopts another version of the controller set (docs/paxoslease.md, "Changing the controller
   * set"): a lease held ends at once (listeners hear {@code StoppedHolding(RECONFIGURED)}), the
   * channel switches to the new set's hash and peers, and the new core starts with its acceptor
   * quarantined for the longest lease of the old set. A version not newer than the current one is
   * ignored (the grid may repeat or reorder record updates). If this controller is not in {@code
   * next}, it leaves: its core retires and seeks nothing again.
   */
  public Future<Void> reconfigure(LeaseConfig next) {
    return call(() -> {
      if (next.version() <= node.config().version()) {
        return;
      }
      LocalNow now = now();
      apply(node.retire(now));
      if (!next.controllerIds().contains(selfId)) {
        left = true;
        config = next;
        timers.cancelAll();
        LOG.info("lease: controller {} left the controller set (version {}: {})", selfId, next.version(), next.ids());
        return;
      }
      node = node.reconfigured(next);
      config = node.config();
      channel.reconfigure(node.config());
      timers.cancelAll();
      quarantineEndNanos = now.monotonicNanos() + node.config().reconfigurationQuarantineNanos();
      quarantineStarted = true;
      apply(node.startAfterReconfiguration(now));
      if (!seeking) {
        apply(node.setSeeking(false, now()));
      }
      LOG.info("lease: controller {} adopted controller set version {} {} (quarantine {} ms)", selfId, next.version(), next.ids(),
          node.config().reconfigurationQuarantineNanos() / 1_000_000);
    });
  }

  /** The controller set this controller's lease runs under now. */
  public LeaseConfig config() {
    return config;
  }

  /** P6: hand the lease to {@code successorId} (or to nobody: {@link LeaseMessage#NO_NODE}). */
  public Future<Void> release(int successorId) {
    if (successorId != LeaseMessage.NO_NODE && (successorId == selfId || !config.controllerIds().contains(successorId))) {
      throw new IllegalArgumentException("successor " + successorId + " is not another configured controller");
    }
    return call(() -> apply(node.release(successorId, now())));
  }

  /**
   * Whether this controller seeks the lease: true only while its grid member sees a majority.
   * Losing it releases a lease held. Repeating the current value does nothing, so the caller may
   * feed the signal on every membership event.
   */
  public Future<Void> setSeeking(boolean seek) {
    return call(() -> {
      if (seek != seeking) {
        seeking = seek;
        if (coreStarted) {
          apply(node.setSeeking(seek, now()));
        }
      }
    });
  }

  /** The fencing epoch to report; fencing itself (minting, checking) lives elsewhere. */
  public void setEpoch(long epoch) {
    this.epoch = epoch;
  }

  /** Whether this controller holds the lease now, by its own monotonic clock. Any thread. */
  public boolean holdsLease() {
    return holderDeadlineNanos().isPresent();
  }

  /**
   * The deadline, on the {@link LeaseClocks#monotonicNanos()} clock, of the lease this controller
   * holds now, or empty: what fencing checks {@code now < deadline - fenceMargin} against. Any thread.
   */
  public OptionalLong holderDeadlineNanos() {
    LeaseSnapshot current = snapshot;
    return current.self() && current.liveAt(clocks.monotonicNanos().getAsLong())
        ? OptionalLong.of(current.endNanos())
        : OptionalLong.empty();
  }

  /** For {@code GET /lease}. Any thread. */
  public LeaseStatus status() {
    LeaseSnapshot current = snapshot;
    long nowNanos = clocks.monotonicNanos().getAsLong();
    boolean live = current.liveAt(nowNanos);
    Long remainingMs = live && current.self() ? (current.endNanos() - nowNanos) / 1_000_000 : null;
    List<Integer> acceptors = new ArrayList<>(channel.reachablePeers());
    acceptors.add(selfId);
    acceptors.sort(null);
    long quarantineMs = quarantineStarted ? Math.max(0, quarantineEndNanos - nowNanos) / 1_000_000 : 0;
    return new LeaseStatus(live ? current.owner() : null, epoch, remainingMs, acceptors, quarantineMs);
  }

  /** True once any controller configured differently has spoken to this one: an operator must look. */
  public boolean configMismatchAlarm() {
    return coreConfigAlarm || channel.configMismatches() > 0;
  }

  /**
   * Stops like a crash: timers cancelled, channel closed, no Release sent (the peers wait out the
   * lease). For a graceful stop, {@link #release} first.
   */
  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    onContext(() -> {
      if (!closed) {
        closed = true;
        snapshot = LeaseSnapshot.NONE;
        timers.cancelAll();
        if (suspendTimer >= 0) {
          vertx.cancelTimer(suspendTimer);
        }
      }
      channel.close().onComplete(promise);
    });
    return promise.future();
  }

  private void onInbound(LeaseMessage message) {
    onContext(() -> {
      if (!closed && coreStarted && !left) {
        apply(node.onMessage(message, now()));
      }
    });
  }

  private void onTimer(TimerKind kind) {
    if (!closed && !left) {
      apply(node.onTimer(kind, now()));
    }
  }

  private void checkSuspend() {
    if (closed) {
      return;
    }
    long gainNanos = suspendDetector.observe(clocks.monotonicNanos().getAsLong(), clocks.uptimeSeconds().getAsDouble());
    if (gainNanos > 0) {
      LOG.warn("lease: controller {} was suspended for about {} ms (uptime outran the monotonic clock): dropping any"
          + " lease and quarantining", selfId, gainNanos / 1_000_000);
      LocalNow now = now();
      quarantineEndNanos = now.monotonicNanos() + config.quarantineNanos();
      quarantineStarted = true;
      apply(node.onSuspendDetected(now));
    }
  }

  /** Carries out one step's effects; the snapshot first, sends last. */
  private void apply(Effects effects) {
    LocalNow after = now();
    snapshot = LeaseSnapshot.of(node.currentLease(after), after.monotonicNanos());
    coreConfigAlarm = node.configMismatchAlarm();
    effects.timers().forEach(timers::arm);
    for (Effects.HolderEvent event : effects.holderEvents()) {
      if (event instanceof BecameHolder became) {
        logBecame(became);
        becameListeners.forEach(listener -> listener.accept(became));
      } else if (event instanceof StoppedHolding stopped) {
        LOG.info("lease: controller {} stopped holding ballot {}: {}", selfId, Ballot.format(stopped.ballot()), stopped.reason());
        stoppedListeners.forEach(listener -> listener.accept(stopped));
      }
    }
    for (Effects.Send send : effects.sends()) {
      channel.send(send.toNodeId(), send.message());
    }
  }

  private void logBecame(BecameHolder became) {
    long forMs = (became.deadlineNanos() - clocks.monotonicNanos().getAsLong()) / 1_000_000;
    if (became.freshAcquisition()) {
      LOG.info("lease: controller {} holds the lease (ballot {}, acceptors {}, {} ms left)", selfId,
          Ballot.format(became.ballot()), became.acceptorIds(), forMs);
    } else {
      LOG.debug("lease: controller {} renewed the lease (ballot {}, {} ms left)", selfId, Ballot.format(became.ballot()), forMs);
    }
  }

  private LocalNow now() {
    return new LocalNow(clocks.monotonicNanos().getAsLong(), clocks.wallClock().millis());
  }

  private Future<Void> call(Runnable action) {
    Promise<Void> promise = Promise.promise();
    onContext(() -> {
      if (closed) {
        promise.fail(new IllegalStateException("the lease service of controller " + selfId + " is closed"));
        return;
      }
      try {
        action.run();
      } catch (RuntimeException bug) {
        promise.fail(bug);
        throw bug; // also to the context's exception handler: a core failure is a bug, not an outcome
      }
      promise.complete();
    });
    return promise.future();
  }

  /** Runs on the service's context: at once when already there, else queued behind what is there. */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
