package dev.canopy.deploy.dev;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.compute.GuestSetup;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.node.guests.VirtTypeProbe;
import dev.canopy.cloud.images.PresignedImageDelivery;
import dev.canopy.cloud.securitygroups.GroupFirewalls;
import java.net.URI;
import dev.canopy.cloud.bootstrap.CloudIdentity;
import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.ec2.LeaderForwarding;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridName;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.storage.internal.ObjectDigester;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import dev.canopy.storage.s3.S3Server;
import dev.canopy.storage.s3.S3ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud in a box: every role in one JVM over one data folder. Start order: durable store,
 * master key check, grid (loads state from the store), identity bootstrap on first start, then
 * the endpoints; {@code endpoints.json} and the ready line come last. {@link #close()} stops in
 * the reverse order, so no request reaches a closed grid or store.
 */
public final class DevCloud implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevCloud.class);

  private final CloudFiles files;
  private final ServerStack servers = new ServerStack();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private LocalStore store;
  private Grid grid;
  private Vertx vertx;
  private volatile boolean ready;
  private ReconcileLoop reconcile;
  private static final Duration LEADERSHIP_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration NODE_REPORT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration START_STEP_TIMEOUT = Duration.ofSeconds(30);
  /** The cloud in a box reads the JVM's clocks; everything below gets this handed down. */
  private static final Time TIME = SystemTime.INSTANCE;

  private DevCloud(Path data) {
    this.files = new CloudFiles(data);
  }

  public static DevCloud start(DevOptions options, PrintStream out) throws Exception {
    long startNanos = TIME.nanoTime();
    DevCloud cloud = new DevCloud(options.dataDir());
    try {
      cloud.boot(options, out);
    } catch (Exception | Error e) {
      cloud.close();
      throw e;
    }
    double seconds = (TIME.nanoTime() - startNanos) / 1e9;
    out.printf("canopy dev: ready in %.2f s (data %s)%n", seconds, options.dataDir().toAbsolutePath());
    out.flush();
    return cloud;
  }

  private void boot(DevOptions options, PrintStream out) throws Exception {
    CanopyConfig config = options.config();
    Path data = options.dataDir();
    Files.createDirectories(data);
    SecureRandom random = new SecureRandom();
    Time clock = TIME;

    MasterKey masterKey =
        MasterKey.loadOrCreate(Optional.ofNullable(System.getenv(MasterKey.ENV_VARIABLE)), data.resolve("keys/master.key"), random);
    SecretBox secrets = new SecretBox(masterKey, random);
    store = LocalStore.open(data.resolve("store"));
    CloudIdentityStore identities = new CloudIdentityStore(store, secrets);
    CloudIdentity cloudIdentity = identities.loadOrCreate(random);

    grid = Grid.startStandalone(GridName.of(masterKey), config.bindAddress(), 5701, store);
    if (!cloudIdentity.bootstrapped()) {
      FirstStart.bootstrap(ControlServices.identityService(grid, secrets, random, clock), files, config.region());
      identities.save(cloudIdentity.asBootstrapped());
    }
    AgentPlane agents = AgentPlane.create(grid, secrets, cloudIdentity.cloudName(), clock, random);
    GridBucketRegistry buckets = new GridBucketRegistry(grid);
    vertx = Vertx.vertx();
    // Leadership first: the scheduler and every command to an agent go through it.
    LeadershipPlane leadership = await(LeadershipPlane.start(vertx, data, agents.ca(), grid, config.bindAddress(), clock));
    servers.add(leadership::close);
    // A group of one holds the lease at once; the mint is one grid write. Bounded all the same.
    Waiting.until(clock, "this controller to become the lease holder", () -> leadership.leadership().isLeader(),
        LEADERSHIP_TIMEOUT, Duration.ofMillis(10));
    // Nodes fetch images through presigned links signed with this in-memory credential, which the
    // S3 front end lets read objects (and nothing else) in any bucket. A new one every start.
    Credential imageReader = ImageReader.create(random);
    String host = config.bindAddress();
    boolean realGuests = !options.hypervisorUri().startsWith("test:");
    RocksObjectBackend objects = new RocksObjectBackend(store, clock, random);
    ControlServices services = new ControlServices(
        new ControlServices.Parts(vertx, grid, secrets, config, clock, random, agents, leadership),
        ComputePlane.imageObjects(buckets, objects),
        !realGuests ? ControlServices.noGuests() : (catalog, groups, members) -> new GuestSetup(
            new PresignedImageDelivery(catalog, new ObjectDigester(objects)::digest, () -> URI.create(endpoints.get("s3")), imageReader, config.region(),
                clock, ImageReader.LINK_LIFETIME),
            GroupFirewalls.of(groups, accountId -> groups.describe(accountId, List.of(), List.of()), members)));
    CredentialLookup tenants = services.identity.credentials();
    CredentialLookup credentials = id -> id.equals(imageReader.accessKeyId()) ? Optional.of(imageReader) : tenants.find(id);
    await(services.listen(credentials, LeaderForwarding.NONE, () -> ready, endpoints, servers));

    S3Server s3 = new S3Server(vertx,
        S3ServerConfig.of(host, config.ports().s3(), config.region(), config.s3().virtualHostDomain()),
        credentials, buckets, objects, clock, services.metrics, imageReader.accountId())
        .withConnectionLimits(config.connections().limits());
    int s3Port = await(s3.start());
    servers.add(s3::close);
    endpoints.put("s3", "http://" + host + ":" + s3Port);

    // The agent port, then this process's own node agent, enrolled over loopback mutual TLS.
    endpoints.put("agent", await(agents.listen(vertx, host, config.ports().agent(), config.connections().limits())));
    servers.add(agents::close);
    // The tiny image doubles as the KVM probe's guest: its init prints a line once it is up.
    Optional<VirtTypeProbe.ProbeImage> probe = options.systemImage()
        .filter(dir -> Files.isRegularFile(dir.resolve("vmlinuz")) && Files.isRegularFile(dir.resolve("initramfs.gz")))
        .map(dir -> new VirtTypeProbe.ProbeImage(dir.resolve("vmlinuz"), dir.resolve("initramfs.gz"), "CANOPY-TINY-BOOTED"));
    String nodeId = await(agents.startLocalAgent(vertx, data.resolve("node"), config.zones().get(0), options.hypervisorUri(),
        options.virtType(), probe));
    LOG.info("the in-process node agent is node {} on {}", nodeId, options.hypervisorUri());
    awaitNodeReport(agents, nodeId, agents.localCapacity(), clock);
    reconcile = services.startReconciling(agents.nodes().heartbeatInterval());
    if (options.systemImage().isPresent()) {
      var image = SystemImages.registerTiny(options.systemImage().get(), buckets, objects, services.compute.images, config.region(), clock);
      image.ifPresentOrElse(i -> LOG.info("system image {} is {}", SystemImages.NAME, i.imageId()),
          () -> LOG.warn("no tiny image in {}: build it with images/tiny/build.sh", options.systemImage().get()));
    }

    Map<String, String> published = new LinkedHashMap<>();
    published.put("region", config.region());
    published.putAll(endpoints);
    files.writeEndpoints(published);
    endpoints.forEach((name, url) -> out.printf("canopy dev: %-10s %s%n", name, url));
    out.printf("canopy dev: tenant profile: AWS_SHARED_CREDENTIALS_FILE=%s AWS_CONFIG_FILE=%s AWS_PROFILE=%s%n",
        files.awsCredentials(), files.awsConfig(), CloudFiles.TENANT_PROFILE);
    ready = true;
  }

  /**
   * Ready means run-instances works: wait (bounded) until the local node is available with the
   * capacity its hypervisor reports, not the host figures of its very first heartbeat.
   */
  private static void awaitNodeReport(AgentPlane agents, String nodeId, dev.canopy.node.protocol.HostCapacity expected, Time time)
      throws InterruptedException {
    boolean reported = Waiting.holdsWithin(time, () -> {
      var node = agents.nodes().get(nodeId);
      return node.isPresent() && node.get().state() == dev.canopy.cloud.agents.NodeState.AVAILABLE
          && expected.equals(node.get().capacity());
    }, NODE_REPORT_TIMEOUT, Duration.ofMillis(20));
    if (!reported) {
      LOG.warn("node {} has not reported its hypervisor's capacity yet; instances may not fit until it does", nodeId);
    }
  }

  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return Futures.await(future.toCompletionStage(), START_STEP_TIMEOUT, "a start step of the cloud in a box");
  }

  @Override
  public void close() {
    ready = false;
    if (reconcile != null) {
      reconcile.close();
    }
    files.withdrawEndpoints();
    servers.stopAll(vertx);
    if (grid != null) {
      grid.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
