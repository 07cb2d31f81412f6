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
import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.directory.GridDirectoryChanges;
import dev.canopy.cloud.directory.StorageDirectoryServer;
import dev.canopy.cloud.compute.GuestSetup;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.images.ObjectDigests;
import dev.canopy.cloud.images.OwnedImageObjects;
import dev.canopy.cloud.images.PresignedImageDelivery;
import dev.canopy.cloud.securitygroups.GroupFirewalls;
import dev.canopy.cloud.storeclient.RemoteObjectDigests;
import dev.canopy.cloud.storeclient.StorageEndpoint;
import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.membership.ControllerSet;
import dev.canopy.cloud.membership.GridMembership;
import dev.canopy.cloud.lease.net.PeerAddress;
import dev.canopy.cloud.storeclient.RemoteSystemStore;
import dev.canopy.cloud.metering.buckets.BucketStorageSource;
import dev.canopy.cloud.metering.buckets.BucketUsagePushes;
import dev.canopy.cloud.storeclient.FailoverBucketStorage;
import dev.canopy.cloud.storeclient.FailoverObjectDigests;
import dev.canopy.cloud.storeclient.RemoteBucketStorage;
import dev.canopy.cloud.storeclient.FailoverSystemStore;
import dev.canopy.cloud.storeclient.GroupedPutStore;
import dev.canopy.storage.local.SystemStore;
import dev.canopy.cloud.hostmetrics.HostMetricsStore;
import dev.canopy.cloud.latency.ControllerLatency;
import dev.canopy.cloud.latency.LatencyRecorder;
import dev.canopy.cloud.storeclient.RemoteRing;
import dev.canopy.cloud.storeclient.RetryPolicy;
import dev.canopy.core.time.Deadline;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.management.CertificateExpiry;
import dev.canopy.deploy.process.CredentialRenewal;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.deploy.management.Health;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.deploy.process.Role;
import dev.canopy.deploy.process.ServerStack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller role, one of a cloud's 1, 3 or 5. Start order: identity (master key, CA) from the
 * bundle, the grid over the storage role's store (a member of one joins nobody; several meet
 * through the grid tunnel's mutual TLS), a majority of members, leadership, then the endpoints.
 * Every controller serves EC2 and the admin API; scheduling, commands and reconciliation run on
 * the lease holder, and the others forward leader-only EC2 calls to it.
 */
public final class ControllerRole implements Role {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerRole.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration START_STEP_TIMEOUT = Duration.ofSeconds(30);
  /** Starting controllers wait this long for enough of the others to form a majority. */
  private static final Duration MAJORITY_WAIT = Duration.ofMinutes(5);
  /** A group of one holds the lease at once; the mint is one grid write. Bounded all the same. */
  private static final Duration SOLE_LEADERSHIP_WAIT = Duration.ofSeconds(15);
  private static final Duration DIRECTORY_READ = Duration.ofSeconds(5);
  /** How often this controller publishes its latency histograms to the grid for every controller to rank. */
  private static final Duration LATENCY_PUBLISH = Duration.ofSeconds(10);

  /**
   * @param cloud the identity folder ({@code canopy init}'s DIR/identity)
   * @param data this controller's own folder (incarnation counter)
   * @param id this controller's id, 1..255, the same in every controller's {@code controllers}
   * @param controllers every controller's address by id, this one's included
   * @param storage every storage node's internal key-value URL (they serve one replicated store,
   *     records and objects' digests alike: a call moves on when one cannot answer)
   * @param config the effective configuration: its bind address is this controller's address, and
   *     its peer ports (lease, grid) are resolved
   * @param s3 the S3 endpoints nodes download images from, one per storage node (presigned links
   *     name each, and a node tries the next when one cannot serve); read at each launch, so the
   *     cloud in a box can name its storage role's port once bound
   * @param realGuests whether nodes boot real guests (libvirtd): they then get image links and
   *     firewalls; nodes on libvirt's test driver need neither
   * @param skipDeadlineCheck test-only: lead past the lease's deadline (the stale-holder test)
   * @param consoleTls serve the console over HTTPS (a controller of a multi-process cloud); the
   *     cloud in a box, on loopback, serves it over plain HTTP
   */
  public record Settings(Path cloud, Path data, int id, SortedMap<Integer, String> controllers, List<URI> storage,
      Supplier<List<URI>> s3, boolean realGuests, CanopyConfig config, boolean skipDeadlineCheck, boolean consoleTls) {}

  /** The operator's overview asks each storage node once: a node that does not answer is shown as down. */
  private static final RetryPolicy RING_RETRY = new RetryPolicy(1, Duration.ofMillis(100), Duration.ofMillis(100));
  private final ServerStack servers = new ServerStack();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private final Vertx vertx;
  private Grid grid;
  private GridTunnel tunnel;
  private ReconcileLoop reconcile;
  private MeteringPlane metering;
  private LeadershipPlane leadership;
  private AgentPlane agents;
  private MembershipFollower follower;
  private ControllerDirectory directory;
  private volatile boolean ready;
  private volatile int selfId;
  private volatile Runnable whenLeft = () -> LOG.warn("this controller left the controller set; stop its process");

  private ControllerRole(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts the controller; on failure, nothing it started stays up. */
  public static ControllerRole start(Settings settings, ProcessParts parts) throws Exception {
    ControllerRole role = new ControllerRole(parts.vertx());
    return Role.started(role, () -> role.boot(settings, parts));
  }

  private void boot(Settings settings, ProcessParts parts) throws Exception {
    Time clock = parts.time();
    SecureRandom random = parts.random();
    CanopyConfig config = settings.config();
    String host = config.bindAddress();
    int id = settings.id();
    selfId = id;
    Files.createDirectories(settings.data());
    CloudBundle bundle = CloudBundle.read(settings.cloud());
    MasterKey masterKey = CloudBundle.masterKey(settings.cloud());
    SecretBox secrets = new SecretBox(masterKey, random);
    CertificateAuthority ca = bundle.authority(secrets, clock, random);

    // The grid's durable store is the storage role, reached as this controller over mutual TLS.
    var credentials = ca.controllerCredentials(Integer.toString(id), List.of(host), CertificateAuthority.SERVER_VALIDITY);
    CertificateExpiry.meter(parts.metrics(), "controller", credentials::certificate, clock);
    List<TlsCredentials> ownCredentials = new java.util.ArrayList<>(List.of(credentials));
    // Every storage node serves the same replicated store: a call moves on when one cannot answer.
    // Each controller starts at another node, so the controllers' calls spread over them.
    List<URI> storageOrder = StorageNodeOrder.forController(id, settings.storage());
    List<RemoteSystemStore> storageNodes = storageOrder.stream()
        .map(url -> RemoteSystemStore.connect(url, credentials, clock, RetryPolicy.DEFAULT)).toList();
    // Grid writes made at the same time share one request (GroupedPutStore).
    SystemStore store = new GroupedPutStore(FailoverSystemStore.of(storageNodes));
    // D_P, the maximum lease and the fence margin follow from the configured delay, drift and failover target.
    // After joins and leaves, the set this controller last followed tells it whom to meet; the
    // grid's record, read once it is in, is what it then follows.
    SortedMap<Integer, String> known = LastControllerSet.toStartWith(settings.data(), settings.controllers());
    if (!known.containsKey(id)) {
      known = settings.controllers();
    }
    LeaseConfig leaseConfig = config.lease().timing().config(known.keySet());
    // A controller started alone (cloud in a box, --controllers of one) runs a standalone grid member.
    int gridPort = config.ports().grid();
    if (known.size() == 1) {
      // A group of one has no peer to meet: a member that joins nobody and admits nobody.
      grid = Grid.startStandalone(GridName.of(masterKey), host, gridPort == 0 ? freePort(host) : gridPort, store);
    } else {
      // Members listen on their loopback aliases; other hosts' members reach them only through
      // the tunnel, inside the controllers' mutual TLS (docs/cluster.md, "The grid network").
      tunnel = await(GridTunnel.start(new TunnelSettings(id, known, gridPort, TunnelLimits.DEFAULTS),
          credentials, ca.certificate(), clock));
      grid = Grid.startMember(MemberAliases.memberSettings(GridName.of(masterKey), id, known.keySet(),
          gridPort, Duration.ofMillis(leaseConfig.leaseDurationMs())), store);
    }
    awaitMajority(id, clock);
    grid.preload(StartupMaps.NAMES);
    agents = AgentPlane.create(grid, secrets, bundle.cloudName(), clock, random);
    if (!agents.ca().caSha256().equals(ca.caSha256())) {
      throw new IllegalStateException("the grid's CA is not the identity bundle's: this storage belongs to another cloud");
    }

    // The controller set is the grid's record from the first start on; --controllers only seeds it.
    GridMembership membership = new GridMembership(grid.map(GridMembership.MAP, ControllerSet.class),
        tunnel == null ? () -> Set.of(id) : () -> MembershipFollower.reachable(grid));
    ControllerSet controllerSet = membership.seedIfAbsent(ControllerSet.seed(settings.controllers()));
    if (!controllerSet.controllers().containsKey(id)) {
      throw new IllegalStateException("controller " + id + " is not in the controller set (version " + controllerSet.version() + ": "
          + controllerSet.controllers().keySet() + "): add it with `canopy controller join` first; a controller that left"
          + " joins again the same way");
    }
    Function<ControllerSet, LeaseConfig> leaseConfigOf = set -> leaseConfigOf(config, set);
    Map<Integer, PeerAddress> peers = new LinkedHashMap<>();
    controllerSet.controllers().forEach((peer, address) -> {
      if (peer != id) {
        peers.put(peer, new PeerAddress(address, config.ports().lease()));
      }
    });
    leadership = await(LeadershipPlane.start(vertx, settings.data(), ca, grid, leaseConfigOf.apply(controllerSet), id, host,
        config.ports().lease(), peers, settings.skipDeadlineCheck(), clock));
    if (tunnel != null) {
      follower = new MembershipFollower(id, membership, grid, tunnel, leadership, gridPort, config.ports().lease(), leaseConfigOf,
          set -> LastControllerSet.write(settings.data(), set), this::left).start();
    }
    if (peers.isEmpty() && tunnel == null) {
      Waiting.until(clock, "this controller to become the lease holder", () -> leadership.leadership().isLeader(),
          SOLE_LEADERSHIP_WAIT, Duration.ofMillis(10));
    }

    // Objects live on the storage role: RegisterImage checks them there, and nodes download them
    // from its S3 endpoint through links presigned with the cloud's image-reader credential.
    ObjectDigests digests = new FailoverObjectDigests(storageOrder.stream()
        .map(url -> new RemoteObjectDigests(StorageEndpoint.connect(url, credentials, clock, RetryPolicy.DEFAULT))).toList());
    Credential imageReader = ImageReader.of(masterKey);
    ControlServices.GuestsFactory guests = !settings.realGuests() ? ControlServices.noGuests()
        : (catalog, groups, members) -> new GuestSetup(
            new PresignedImageDelivery(catalog, digests, settings.s3(), imageReader, config.region(), clock, ImageReader.LINK_LIFETIME),
            GroupFirewalls.of(groups, accountId -> groups.describe(accountId, List.of(), List.of()), members));
    BucketStorageSource bucketStorage = new FailoverBucketStorage(storageOrder.stream()
        .map(url -> new RemoteBucketStorage(StorageEndpoint.connect(url, credentials, clock, RetryPolicy.DEFAULT))).toList());
    metering = new MeteringPlane(store, grid, agents.metering().withMetrics(parts.metrics()), leadership.leadership(),
        config.metering().aggregatorSettings(), config.metering().batchesPerPass(), bucketStorage,
        config.metering().bucketStorageInterval(), clock, parts.metrics());
    // Host metrics and latency for the operator's node views (docs/console.md, "Nodes").
    LatencyRecorder latency = new LatencyRecorder(Integer.toString(id), grid.map(ControllerLatency.MAP, ControllerLatency.class), clock);
    List<String> controllerIds = settings.controllers().keySet().stream().map(String::valueOf).toList();
    agents.withHostViews(new HostMetricsStore(store, Integer.toString(id), () -> controllerIds, clock,
        config.metering().hostRetention()), latency);
    vertx.setPeriodic(LATENCY_PUBLISH.toMillis(), timer -> vertx.executeBlocking(() -> {
      latency.publish();
      return null;
    }, false).onFailure(e -> LOG.debug("latency figures not published this time: {}", e.toString())));
    ControlServices services = new ControlServices(
        new ControlServices.Parts(vertx, grid, secrets, config, clock, random, agents, leadership, parts.metrics()),
        new OwnedImageObjects(new GridBucketRegistry(grid), digests), guests, metering.usage());
    if (tunnel != null) {
      // A controller whose grid member runs alone cannot admit another: it serves no controller set to change.
      services.withControllerSet(membership);
    }
    if (settings.consoleTls()) {
      // Outside dev the console is HTTPS, with a certificate of the cloud's CA for every name it is reached by.
      List<String> consoleNames = Stream.concat(Stream.of(host, settings.controllers().get(id)),
          config.console().hostnames().stream()).filter(Objects::nonNull).distinct().toList();
      TlsCredentials console = ca.controllerCredentials(Integer.toString(id), consoleNames, CertificateAuthority.SERVER_VALIDITY);
      ownCredentials.add(console);
      services.withConsoleTls(console);
    }
    directory = new ControllerDirectory(grid);
    services.withCloudOverview(new CloudView(directory, leadership, grid, agents.nodes(), services.compute.instances,
        settings.storage().stream().map(url -> new RemoteRing(StorageEndpoint.connect(url, credentials, clock, RING_RETRY))).toList()));
    LeaderForwarding forwarding = holderEndpoint(directory, id, "ec2");
    LeaderForwarding consoleForwarding = holderEndpoint(directory, id, "console");
    // Ready while started and part of the grid's majority: a controller cut off from the others
    // answers EC2 with 503 until its member merges back, so a load balancer should pass it over.
    Supplier<Health> health = () -> Health.firstFailing(
        new Health.Check(() -> ready, "the controller is starting or stopping"),
        new Health.Check(this::gridHasMajority, "its grid member is not in a majority of the controllers"));
    await(services.listen(services.credentials(), forwarding, consoleForwarding, settings.s3(), health, endpoints, servers));
    // Storage nodes read keys (the image reader's included) and bucket records here, never the grid.
    CredentialLookup tenants = services.credentials();
    CredentialLookup withReader = key -> key.equals(imageReader.accessKeyId()) ? Optional.of(imageReader) : tenants.find(key);
    StorageDirectoryServer directoryServer = new StorageDirectoryServer(vertx, credentials, withReader, new GridBucketRegistry(grid),
        GridDirectoryChanges.watch(grid), clock).withConnectionLimits(config.connections().limits())
        .withBucketUsage(BucketUsagePushes.onGrid(grid, clock));
    int directoryPort = await(directoryServer.listen(host, config.ports().directory()));
    servers.add(directoryServer::close);
    endpoints.put("directory", "https://" + host + ":" + directoryPort);
    // Agents learn every controller from any one: the directory, re-read off the event loop.
    AtomicReference<ControllerDirectory.AgentView> agentView = new AtomicReference<>(ControllerDirectory.AgentView.NONE);
    endpoints.put("agent", await(agents.listen(vertx, host, config.ports().agent(), config.connections().limits(),
        Integer.toString(id), () -> agentView.get().urls(), () -> agentView.get().starts())));
    servers.add(agents::close);
    agents.meter(parts.metrics());
    reconcile = services.startReconciling(agents.nodes().heartbeatInterval());
    metering.start(vertx);
    directory.publish(id, endpoints, clock.instant());
    agentView.set(directory.agentView());
    vertx.setPeriodic(DIRECTORY_READ.toMillis(), timer -> vertx.executeBlocking(directory::agentView, false).onSuccess(agentView::set));
    // Renewed in place at two thirds of their year, so a controller that runs for a year keeps its peers.
    ownCredentials.add(agents.serverCredentials());
    servers.add(CredentialRenewal.start(vertx, clock, "controller " + id, List.copyOf(ownCredentials)));
    ready = true;
  }

  /** The lease settings of one version of the controller set: its ids and version, this controller's timings. */
  private static LeaseConfig leaseConfigOf(CanopyConfig config, ControllerSet set) {
    LeaseConfig first = config.lease().timing().config(set.controllers().keySet());
    return set.version() == 0 ? first : first.withControllers(first.controllerIds(), set.version());
  }

  /**
   * What runs once this controller has left the controller set ({@code canopy controller leave}):
   * {@code canopy controller} stops its process, which closes the grid member gracefully.
   */
  public void whenLeft(Runnable action) {
    whenLeft = action;
  }

  /** Called on the follower's thread: the lease has retired; withdraw from the directory, then stop. */
  private void left() {
    ready = false;
    try {
      if (directory != null) {
        directory.withdraw(selfId);
      }
    } catch (RuntimeException e) {
      LOG.warn("the directory entry of controller {} was not withdrawn: {}", selfId, e.toString());
    }
    whenLeft.run();
  }

  /** The lease holder's endpoint of that name, when another controller holds the lease. */
  private LeaderForwarding holderEndpoint(ControllerDirectory directory, int id, String endpoint) {
    return () -> {
      Integer holder = leadership.holder();
      return holder == null || holder == id ? Optional.empty() : directory.endpointOf(holder, endpoint);
    };
  }

  private boolean gridHasMajority() {
    try {
      return grid.hasMajority();
    } catch (RuntimeException stopped) {
      return false;
    }
  }

  /** The agent side: enrollment tokens and the node registry, for the assembly that adds a node. */
  public AgentPlane agents() {
    return agents;
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

  /** A free port on {@code host} for a member that may take any: Hazelcast takes the next one if it is gone by then. */
  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return Futures.await(future.toCompletionStage(), START_STEP_TIMEOUT, "a start step of the controller");
  }

  /** A graceful stop: the lease is handed over first, so another controller leads at once; then the endpoints. */
  @Override
  public void close() {
    ready = false;
    if (follower != null) {
      follower.close();
    }
    if (reconcile != null) {
      reconcile.close();
    }
    if (metering != null) {
      metering.close();
    }
    if (leadership != null) {
      try {
        Futures.await(leadership.close().toCompletionStage(), STOP_TIMEOUT, "the lease's hand-over");
      } catch (Exception e) {
        LOG.warn("the lease was not released cleanly: {}", e.toString());
      }
    }
    servers.stopAll(null);
    if (grid != null) {
      grid.close();
    }
    // After the grid: its member hands its partitions over through the tunnel as it leaves.
    if (tunnel != null) {
      tunnel.close();
    }
  }
}
