package dev.canopy.deploy.controller;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.leadership.LeaseLeadership;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.cloud.lease.net.IncarnationCounter;
import dev.canopy.cloud.lease.net.LeaseClocks;
import dev.canopy.cloud.lease.net.LeaseService;
import dev.canopy.cloud.lease.net.LeaseStatus;
import dev.canopy.cloud.lease.net.LeaseStatusJson;
import dev.canopy.cloud.lease.net.LeaseTransport;
import dev.canopy.cloud.lease.net.TransportSettings;
import dev.canopy.core.time.Time;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SplittableRandom;
import java.util.TreeSet;
import dev.canopy.cloud.lease.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's leadership: its PaxosLease node (proposer, acceptor, learner) over the lease
 * port, the fencing epoch minted in the grid on each fresh acquisition, and {@link
 * LeaseLeadership} in front of the scheduler and the commands. It seeks the lease only while its
 * grid member sees a majority. The cloud in a box is a group of one (no quarantine, so it holds
 * the lease at once); a cluster passes every controller's id and lease address.
 */
public final class LeadershipPlane {

  private static final Logger LOG = LoggerFactory.getLogger(LeadershipPlane.class);
  private static final long MAJORITY_POLL_MS = 500;
  private static final long EPOCH_READ_MS = 1_000;

  private final Vertx vertx;
  private final LeaseService lease;
  private final LeaseTransport transport;
  private final LeaseLeadership leadership;
  private final Leadership forWork;
  private final int selfId;
  private final EpochMint mint;
  /** The grid's epoch, read every second off the event loop (the status is served on it). */
  private volatile long gridEpoch;
  private final List<java.util.function.LongConsumer> leadingListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.LongConsumer> wonListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Every other controller's lease address, read by the transport at each dial; changed by {@link #follow}. */
  private final Map<Integer, PeerAddress> peerAddresses;

  private LeadershipPlane(Vertx vertx, int selfId, LeaseService lease, LeaseTransport transport, LeaseLeadership leadership,
      Leadership forWork, EpochMint mint, Map<Integer, PeerAddress> peerAddresses) {
    this.vertx = vertx;
    this.peerAddresses = peerAddresses;
    this.mint = mint;
    this.selfId = selfId;
    this.lease = lease;
    this.transport = transport;
    this.leadership = leadership;
    this.forWork = forWork;
  }

  /**
   * Bumps the incarnation (one fsynced write), binds the lease port and starts proposing.
   *
   * @param config the lease settings (derived from the configured timings) of every controller's id
   * @param peers every other controller's lease address by id
   * @param skipDeadlineCheck test-only: lead past the lease's deadline (the stale-holder test)
   */
  public static Future<LeadershipPlane> start(Vertx vertx, Path dataDir, CertificateAuthority ca, Grid grid, LeaseConfig config,
      int selfId, String host, int port, Map<Integer, PeerAddress> peers, boolean skipDeadlineCheck, Time time) throws IOException {
    Set<Integer> ids = new TreeSet<>(peers.keySet());
    ids.add(selfId);
    if (!config.ids().equals(ids)) {
      throw new IllegalArgumentException("the lease settings name controllers " + config.ids() + ", the peers " + ids);
    }
    int incarnation = IncarnationCounter.next(dataDir);
    Map<Integer, PeerAddress> peerAddresses = new ConcurrentHashMap<>(peers);
    LeaseTransport transport = new LeaseTransport(vertx, TransportSettings.defaults(config, selfId, host, port),
        config.configHash(), ca.controllerCredentials(Integer.toString(selfId), List.of(host), CertificateAuthority.SERVER_VALIDITY),
        ca.certificate(), time, peer -> Optional.ofNullable(peerAddresses.get(peer)));
    LeaseService lease = new LeaseService(vertx, config, selfId, incarnation, new SplittableRandom(), transport,
        LeaseClocks.of(time));
    EpochMint mint = new EpochMint(grid, time);
    LeaseLeadership leadership = new LeaseLeadership(lease::holderDeadlineNanos, mint::mint, time, config.fenceMarginMs());
    Leadership forWork = leadership;
    if (skipDeadlineCheck) {
      LOG.warn("TEST SWITCH: this controller ignores its lease deadline once it has led (fencing must stop it)");
      forWork = new IgnoringDeadline(leadership);
    }
    LeadershipPlane plane = new LeadershipPlane(vertx, selfId, lease, transport, leadership, forWork, mint, peerAddresses);
    lease.onBecameHolder(b -> {
      if (b.freshAcquisition()) {
        plane.mintEpoch();
        plane.wonUnder(lease.config().version());
      }
    });
    lease.onStoppedHolding(s -> {
      LOG.warn("this controller stopped holding the lease ({})", s.reason());
      leadership.lost();
    });
    lease.setSeeking(grid.hasMajority());
    // A member that loses the grid majority releases and stops seeking; it seeks again once back.
    grid.onClusterChange(() -> vertx.runOnContext(v -> lease.setSeeking(grid.hasMajority())));
    // And polled, in case a change of the majority arrives without a membership event.
    vertx.setPeriodic(MAJORITY_POLL_MS, id -> lease.setSeeking(grid.hasMajority()));
    vertx.setPeriodic(EPOCH_READ_MS, id -> vertx.executeBlocking(mint::latest, false)
        .onSuccess(epoch -> plane.gridEpoch = epoch));
    return lease.start().map(v -> plane);
  }

  /** Minting is a grid write: off the lease's event loop. */
  private void mintEpoch() {
    vertx.executeBlocking(() -> {
      leadership.acquired();
      return leadership.epoch();
    }, false).onSuccess(epoch -> {
      lease.setEpoch(epoch);
      if (leadership.isLeader()) {
        leadingListeners.forEach(l -> l.accept(epoch));
      }
    }).onFailure(e -> LOG.error("could not mint a fencing epoch; not leading", e));
  }

  /** Tells the listeners, off the lease's event loop, which controller-set version a lease was just won under. */
  private void wonUnder(long version) {
    if (!wonListeners.isEmpty()) {
      vertx.executeBlocking(() -> {
        wonListeners.forEach(l -> l.accept(version));
        return null;
      }, false).onFailure(e -> LOG.warn("a lease won under controller-set version {} was not reported: {}", version, e.toString()));
    }
  }

  /**
   * Called (off the event loop) with the controller-set version each time this controller wins the
   * lease afresh: what settles a change of the set (docs/paxoslease.md, "Changing the controller set").
   */
  public void onWonUnder(java.util.function.LongConsumer listener) {
    wonListeners.add(listener);
  }

  /**
   * Adopts another version of the controller set: the other controllers' lease addresses first
   * (so the transport can dial a newcomer as soon as it speaks the new version), then the lease
   * itself, which ends a lease held and quarantines its acceptor ({@link LeaseService#reconfigure}).
   * A version not newer than the lease's is ignored. If this controller is not in {@code next}, it
   * stops taking part for good.
   *
   * @param controllers every controller's address by id, under {@code next}
   * @param leasePort the lease port every controller listens on
   */
  public Future<Void> follow(Map<Integer, String> controllers, int leasePort, LeaseConfig next) {
    controllers.forEach((peer, address) -> {
      if (peer != selfId) {
        peerAddresses.put(peer, new PeerAddress(address, leasePort));
      }
    });
    Future<Void> adopted = lease.reconfigure(next);
    // Addresses of controllers that left go only after the switch, so the old set's links never dial nothing.
    return adopted.onSuccess(v -> peerAddresses.keySet().removeIf(peer -> !controllers.containsKey(peer)));
  }

  /** Whether this controller is in the controller set its lease runs under (false once it has left). */
  public boolean inControllerSet() {
    return lease.config().controllerIds().contains(selfId);
  }

  /** Called (off the event loop) each time this controller starts leading under a newly minted epoch. */
  public void onLeading(java.util.function.LongConsumer listener) {
    leadingListeners.add(listener);
  }

  /** What the scheduler, the commands and reconciliation ask before leader work. */
  public Leadership leadership() {
    return forWork;
  }

  /** An agent refused a command with a newer epoch: stop using ours, and mint above it if still holding. */
  void newerEpochSeen(long agentEpoch) {
    leadership.newerEpochSeen(agentEpoch);
    if (forWork instanceof IgnoringDeadline stale) {
      stale.refused = true;
    }
    if (leadership.needsNewEpoch()) {
      mintEpoch();
    }
  }

  /** This controller's id. */
  public int selfId() {
    return selfId;
  }

  /** Who holds the lease as far as this controller knows, or null. */
  public Integer holder() {
    return lease.status().holder();
  }

  /**
   * {@code GET /lease}'s body. A controller that has not minted reports the grid's epoch as last
   * read, so every controller shows the cloud's current one.
   */
  public String statusJson() {
    LeaseStatus status = lease.status();
    if (status.epoch() == 0 && gridEpoch > 0) {
      status = new LeaseStatus(status.holder(), gridEpoch, status.remainingMs(), status.acceptorsReachable(), status.quarantineMs());
    }
    return LeaseStatusJson.render(status);
  }

  public int boundPort() {
    return transport.boundPort();
  }

  /**
   * A graceful stop releases the lease first (PaxosLease's release abandons in-flight attempts
   * and lets the others acquire at once, without waiting for it to expire).
   */
  public Future<Void> close() {
    leadership.lost();
    if (!inControllerSet()) {
      // Left the set: its lease core is retired, holds nothing and may hand nothing over.
      return lease.close();
    }
    Set<Integer> current = lease.config().controllerIds();
    int successor = lease.status().acceptorsReachable().stream().filter(id -> id != selfId && current.contains(id)).findFirst()
        .orElse(LeaseMessage.NO_NODE);
    return lease.release(successor).eventually(lease::close);
  }

  /**
   * Test-only: leads under the last epoch it led with, whatever its lease says, until an agent
   * refuses it — a controller whose clock or pause detection failed. Minting stays honest.
   */
  private static final class IgnoringDeadline implements Leadership {
    private final LeaseLeadership real;
    private volatile boolean led;
    private volatile boolean refused;

    IgnoringDeadline(LeaseLeadership real) {
      this.real = real;
    }

    @Override
    public boolean isLeader() {
      if (real.isLeader()) {
        led = true;
        refused = false;
        return true;
      }
      return led && !refused;
    }

    @Override
    public long epoch() {
      return real.epoch();
    }
  }
}
