package dev.canopy.deploy.dev;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.leadership.LeaseLeadership;
import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.cloud.lease.net.IncarnationCounter;
import dev.canopy.cloud.lease.net.LeaseClocks;
import dev.canopy.cloud.lease.net.LeaseService;
import dev.canopy.cloud.lease.net.LeaseStatusJson;
import dev.canopy.cloud.lease.net.LeaseTransport;
import dev.canopy.cloud.lease.net.TransportSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership in the cloud in a box: a PaxosLease group of one controller (no quarantine, so it
 * holds the lease at once), the fencing epoch minted in the grid on each acquisition, and {@link
 * LeaseLeadership} in front of the scheduler and the commands. The same parts as a
 * three-controller cloud, with one acceptor.
 */
final class LeadershipPlane {

  private static final Logger LOG = LoggerFactory.getLogger(LeadershipPlane.class);
  /** Lease certificates name a decimal controller id; the box has one controller. */
  static final int CONTROLLER_ID = 1;

  private final Vertx vertx;
  private final LeaseService lease;
  private final LeaseTransport transport;
  private final LeaseLeadership leadership;

  private LeadershipPlane(Vertx vertx, LeaseService lease, LeaseTransport transport, LeaseLeadership leadership) {
    this.vertx = vertx;
    this.lease = lease;
    this.transport = transport;
    this.leadership = leadership;
  }

  /** Bumps the incarnation (one fsynced write), binds the lease port on {@code host} and starts proposing. */
  static Future<LeadershipPlane> start(Vertx vertx, Path dataDir, CertificateAuthority ca, Grid grid, String host) throws IOException {
    int incarnation = IncarnationCounter.next(dataDir);
    LeaseConfig config = LeaseConfig.suggested(Set.of(CONTROLLER_ID));
    LeaseTransport transport = new LeaseTransport(vertx, TransportSettings.defaults(config, CONTROLLER_ID, host, 0),
        config.configHash(), ca.controllerCredentials(Integer.toString(CONTROLLER_ID), List.of(host), CertificateAuthority.SERVER_VALIDITY),
        ca.certificate(), InstantSource.system(), LeaseTransport.addresses(Map.of()));
    LeaseService lease = new LeaseService(vertx, config, CONTROLLER_ID, incarnation, new SplittableRandom(), transport,
        LeaseClocks.system());
    EpochMint mint = new EpochMint(grid);
    LeaseLeadership leadership = new LeaseLeadership(lease::holderDeadlineNanos, mint::mint, System::nanoTime, config.fenceMarginMs());
    LeadershipPlane plane = new LeadershipPlane(vertx, lease, transport, leadership);
    lease.onBecameHolder(b -> {
      if (b.freshAcquisition()) {
        plane.mintEpoch();
      }
    });
    lease.onStoppedHolding(s -> {
      LOG.warn("this controller stopped holding the lease ({})", s.reason());
      leadership.lost();
    });
    lease.setSeeking(grid.hasMajority());
    return lease.start().map(v -> plane);
  }

  /** Minting is a grid write: off the lease's event loop. */
  private void mintEpoch() {
    vertx.executeBlocking(() -> {
      leadership.acquired();
      return leadership.epoch();
    }, false).onSuccess(lease::setEpoch)
        .onFailure(e -> LOG.error("could not mint a fencing epoch; not leading", e));
  }

  LeaseLeadership leadership() {
    return leadership;
  }

  /** An agent refused a command with a newer epoch: stop using ours, and mint above it if still holding. */
  void newerEpochSeen(long agentEpoch) {
    leadership.newerEpochSeen(agentEpoch);
    if (leadership.needsNewEpoch()) {
      mintEpoch();
    }
  }

  /** {@code GET /lease}'s body. */
  String statusJson() {
    return LeaseStatusJson.render(lease.status());
  }

  int boundPort() {
    return transport.boundPort();
  }

  /** A graceful stop releases the lease first (nobody to hand it to in a group of one). */
  Future<Void> close() {
    leadership.lost();
    return lease.release(LeaseMessage.NO_NODE).eventually(lease::close);
  }
}
