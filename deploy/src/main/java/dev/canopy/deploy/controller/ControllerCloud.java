package dev.canopy.deploy.controller;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.ec2.LeaderForwarding;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridName;
import dev.canopy.cloud.gridtunnel.GridTunnel;
import dev.canopy.cloud.gridtunnel.MemberAliases;
import dev.canopy.cloud.gridtunnel.TunnelLimits;
import dev.canopy.cloud.gridtunnel.TunnelSettings;
import dev.canopy.cloud.images.ImageObjects;
import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.lease.net.PeerAddress;
import dev.canopy.cloud.lease.net.TransportSettings;
import dev.canopy.cloud.storeclient.RemoteSystemStore;
import dev.canopy.cloud.storeclient.RetryPolicy;
import dev.canopy.core.time.Deadline;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.deploy.cluster.CloudBundle;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.dev.AgentPlane;
import dev.canopy.deploy.dev.CloudFiles;
import dev.canopy.deploy.dev.ControlServices;
import dev.canopy.deploy.dev.LeadershipPlane;
import dev.canopy.deploy.dev.ReconcileLoop;
import dev.canopy.deploy.dev.ServerStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller of a multi-controller cloud. Start order: identity (master key, CA) from the
 * bundle, the grid tunnel, the grid member over the storage process's store, a majority of
 * members, leadership, then the endpoints; {@code endpoints.json} and the ready line come last. Every controller
 * serves EC2 and the admin API; scheduling, commands and reconciliation run on the lease holder,
 * and the others forward leader-only EC2 calls to it.
 */
public final class ControllerCloud implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerCloud.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  /** Starting controllers wait this long for enough of the others to form a majority. */
  private static final Duration MAJORITY_WAIT = Duration.ofMinutes(5);
  private static final Duration DIRECTORY_READ = Duration.ofSeconds(5);

  private final CloudFiles files;
  private final ServerStack servers = new ServerStack();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private Grid grid;
  private GridTunnel tunnel;
  private Vertx vertx;
  private ReconcileLoop reconcile;
  private LeadershipPlane leadership;
  private volatile boolean ready;

  private ControllerCloud(ControllerOptions options) {
    this.files = new CloudFiles(options.data());
  }

  public static ControllerCloud start(ControllerOptions options, PrintStream out) throws Exception {
    long startNanos = SystemTime.INSTANCE.nanoTime();
    ControllerCloud controller = new ControllerCloud(options);
    try {
      controller.boot(options, out);
    } catch (Exception | Error e) {
      controller.close();
      throw e;
    }
    out.printf("canopy controller %d: ready in %.2f s (data %s)%n", options.id(), (SystemTime.INSTANCE.nanoTime() - startNanos) / 1e9,
        options.data().toAbsolutePath());
    out.flush();
    return controller;
  }

  private void boot(ControllerOptions options, PrintStream out) throws Exception {
    CanopyConfig config = options.config();
    String host = config.bindAddress();
    Files.createDirectories(options.data());
    SecureRandom random = new SecureRandom();
    Time clock = SystemTime.INSTANCE;
    CloudBundle bundle = CloudBundle.read(options.cloud());
    MasterKey masterKey = CloudBundle.masterKey(options.cloud());
    SecretBox secrets = new SecretBox(masterKey, random);
    CertificateAuthority ca = CertificateAuthority.fromRecord(bundle.ca(), secrets, clock, random);

    // The grid's durable store is the storage process, reached as this controller over mutual TLS.
    var storeCredentials = ca.controllerCredentials(Integer.toString(options.id()), List.of(host), CertificateAuthority.SERVER_VALIDITY);
    RemoteSystemStore store = RemoteSystemStore.connect(options.storage(), storeCredentials, clock, RetryPolicy.DEFAULT);
    LeaseConfig leaseConfig = LeaseConfig.suggested(options.controllers().keySet());
    // The member listens on its loopback alias; other hosts' members reach it only through the
    // tunnel, inside the controllers' mutual TLS (docs/cluster.md, "The grid network").
    var gridCredentials = ca.controllerCredentials(Integer.toString(options.id()), List.of(host), CertificateAuthority.SERVER_VALIDITY);
    tunnel = await(GridTunnel.start(new TunnelSettings(options.id(), options.controllers(), ControllerOptions.GRID_PORT,
        TunnelLimits.DEFAULTS), gridCredentials, ca.certificate(), clock));
    grid = Grid.startMember(MemberAliases.memberSettings(GridName.of(masterKey), options.id(), options.controllers().keySet(),
        ControllerOptions.GRID_PORT, Duration.ofMillis(leaseConfig.leaseDurationMs())), store);
    awaitMajority(options.id(), clock);
    AgentPlane agents = AgentPlane.create(grid, secrets, bundle.cloudName(), clock, random);
    if (!agents.ca().caSha256().equals(ca.caSha256())) {
      throw new IllegalStateException("the grid's CA is not the identity bundle's: this storage belongs to another cloud");
    }

    vertx = Vertx.vertx();
    Map<Integer, PeerAddress> peers = new LinkedHashMap<>();
    options.controllers().forEach((id, address) -> {
      if (id != options.id()) {
        peers.put(id, new PeerAddress(address, TransportSettings.DEFAULT_PORT));
      }
    });
    LeadershipPlane leadership = await(LeadershipPlane.start(vertx, options.data(), ca, grid, options.id(), host,
        TransportSettings.DEFAULT_PORT, peers, options.skipDeadlineCheck(), clock));
    this.leadership = leadership;

    // Objects live on the storage role, which does not serve S3 yet: no image registration here.
    ImageObjects noObjects = (accountId, location) -> false;
    ControlServices services = new ControlServices(
        new ControlServices.Parts(vertx, grid, secrets, config, clock, random, agents, leadership), noObjects, ControlServices.noGuests());
    ControllerDirectory directory = new ControllerDirectory(grid);
    LeaderForwarding forwarding = () -> {
      Integer holder = leadership.holder();
      return holder == null || holder == options.id() ? Optional.empty() : directory.ec2Of(holder);
    };
    await(services.listen(services.credentials(), forwarding, () -> ready, endpoints, servers));
    // Agents learn every controller from any one: the directory, re-read off the event loop.
    AtomicReference<List<String>> agentUrls = new AtomicReference<>(List.of());
    endpoints.put("agent", await(agents.listen(vertx, host, config.ports().agent(), config.connections().limits(), Integer.toString(options.id()), agentUrls::get)));
    servers.add(agents::close);
    reconcile = services.startReconciling(agents.nodes().heartbeatInterval());
    directory.publish(options.id(), endpoints);
    agentUrls.set(directory.agentUrls());
    vertx.setPeriodic(DIRECTORY_READ.toMillis(), id -> vertx.executeBlocking(directory::agentUrls, false).onSuccess(agentUrls::set));

    files.writeEndpoints(endpoints);
    endpoints.forEach((name, url) -> out.printf("canopy controller %d: %-10s %s%n", options.id(), name, url));
    ready = true;
  }

  private void awaitMajority(int id, Time time) throws InterruptedException, TimeoutException {
    AtomicReference<Deadline> nextLog = new AtomicReference<>(Deadline.after(time, Duration.ZERO));
    Waiting.until(time, "a majority of controllers to join controller " + id, () -> {
      if (grid.hasMajority()) {
        return true;
      }
      if (nextLog.get().expired()) {
        LOG.info("controller {} waits for a majority of controllers ({} member(s) so far)", id, grid.memberCount());
        nextLog.set(Deadline.after(time, Duration.ofSeconds(5)));
      }
      return false;
    }, MAJORITY_WAIT, Duration.ofMillis(50));
  }

  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return Futures.await(future.toCompletionStage(), Duration.ofSeconds(30), "a start step of the controller");
  }

  /** A graceful stop: the lease is handed over first, so another controller leads at once; then the endpoints. */
  @Override
  public void close() {
    ready = false;
    if (reconcile != null) {
      reconcile.close();
    }
    if (leadership != null) {
      try {
        Futures.await(leadership.close().toCompletionStage(), STOP_TIMEOUT, "the lease's hand-over");
      } catch (Exception e) {
        LOG.warn("the lease was not released cleanly: {}", e.toString());
      }
    }
    files.withdrawEndpoints();
    servers.stopAll(vertx);
    if (grid != null) {
      grid.close();
    }
    // After the grid: its member hands its partitions over through the tunnel as it leaves.
    if (tunnel != null) {
      tunnel.close();
    }
  }
}
