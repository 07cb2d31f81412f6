package dev.canopy.deploy.dev;

import dev.canopy.deploy.process.ProcessMetrics;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.cloud.agents.NodeState;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.deploy.cluster.CloudInit;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.controller.ControllerRole;
import dev.canopy.deploy.node.NodeRole;
import dev.canopy.deploy.process.CloudFiles;
import dev.canopy.deploy.process.Role;
import dev.canopy.deploy.storage.StorageRole;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.guests.VirtTypeProbe;
import dev.canopy.node.protocol.HostCapacity;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud in a box: the three roles a multi-process cloud runs — one storage node, one
 * controller, one node agent — in one JVM over one data folder, each reaching the others through
 * its real endpoint on loopback (the controller's grid writes through the storage role's internal
 * KV over mutual TLS, the node agent enrolls and holds its session like any other). The first
 * start creates the cloud as {@code canopy init} does. {@link #close()} stops the roles in the
 * reverse order.
 */
public final class DevCloud implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevCloud.class);
  private static final Duration NODE_REPORT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration ENROLLMENT_TOKEN_LIFETIME = Duration.ofMinutes(10);
  private static final Duration VERTX_CLOSE_TIMEOUT = Duration.ofSeconds(20);
  private static final String NODE_NAME = "dev";
  /** The cloud in a box reads the JVM's clocks; everything below gets this handed down. */
  private static final Time TIME = SystemTime.INSTANCE;

  private final CloudFiles files;
  private final List<Role> roles = new ArrayList<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private Vertx vertx;
  /** The node agent's own: on a host it is a process apart, and its commands must not queue behind the controller's work. */
  private Vertx nodeVertx;

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
    Path data = options.dataDir();
    Files.createDirectories(data);
    SecureRandom random = new SecureRandom();
    // The roles find each other in this process: peer ports are any free ones unless configured.
    CanopyConfig config = options.config().withPorts(options.config().ports().withPeerDefaults(0, 0, 0, 0, 0));
    String host = config.bindAddress();
    Path identity = CloudInit.identityDir(data);
    if (!CloudBundle.exists(identity)) {
      EarlierLayout.adopt(data);
      CloudInit.create(data, data.resolve("storage"), config.region(), options.systemImage(), TIME, random)
          .ifPresent(image -> LOG.info("system image canopy-tiny is {}", image));
    }
    vertx = Vertx.vertx();
    ProcessParts parts = new ProcessParts(vertx, TIME, random, ProcessMetrics.create());

    // The storage role asks the controller's directory, which is bound once the controller is up.
    AtomicReference<List<URI>> directory = new AtomicReference<>(List.of());
    StorageRole storage = add(StorageRole.start(
        new StorageRole.Settings(identity, data.resolve("storage"), "1", config, directory::get), parts));
    ControllerRole controller = add(ControllerRole.start(new ControllerRole.Settings(identity, data.resolve("controller"), 1,
        new TreeMap<>(Map.of(1, host)), List.of(URI.create(storage.endpoints().get("kv"))), () -> List.of(URI.create(storage.endpoints().get("s3"))),
        !options.hypervisorUri().startsWith("test:"), config, false, false), parts));

    directory.set(List.of(URI.create(controller.endpoints().get("directory"))));

    Path nodeDir = data.resolve("node");
    // Like an operator: a one-time token from the controller, for the first start only.
    Optional<String> token = AgentClient.isEnrolled(nodeDir)
        ? Optional.empty() : Optional.of(controller.agents().tokens().create(ENROLLMENT_TOKEN_LIFETIME));
    // The tiny image doubles as the KVM probe's guest: its init prints a line once it is up.
    Optional<VirtTypeProbe.ProbeImage> probe = options.systemImage()
        .filter(dir -> Files.isRegularFile(dir.resolve("vmlinuz")) && Files.isRegularFile(dir.resolve("initramfs.gz")))
        .map(dir -> new VirtTypeProbe.ProbeImage(dir.resolve("vmlinuz"), dir.resolve("initramfs.gz"), "CANOPY-TINY-BOOTED"));
    nodeVertx = Vertx.vertx();
    NodeRole node = add(NodeRole.start(new NodeRole.Settings(nodeDir, List.of(controller.endpoints().get("agent")), token, NODE_NAME,
        config.zones().get(0), options.hypervisorUri(), options.virtType(), probe),
        new ProcessParts(nodeVertx, TIME, random, parts.metrics())));
    LOG.info("the in-process node agent is node {} on {}", node.nodeId(), options.hypervisorUri());
    awaitNodeReport(controller, node.nodeId(), node.capacity());

    endpoints.put("region", config.region());
    endpoints.putAll(controller.endpoints());
    endpoints.putAll(storage.endpoints());
    files.writeEndpoints(endpoints);
    endpoints.forEach((name, url) -> out.printf("canopy dev: %-10s %s%n", name, url));
    out.printf("canopy dev: tenant profile: AWS_SHARED_CREDENTIALS_FILE=%s AWS_CONFIG_FILE=%s AWS_PROFILE=%s%n",
        files.awsCredentials(), files.awsConfig(), CloudFiles.TENANT_PROFILE);
  }

  private <R extends Role> R add(R role) {
    roles.add(role);
    return role;
  }

  /**
   * Ready means run-instances works: wait (bounded) until the node is available with the capacity
   * its hypervisor reports, not the host figures of its very first heartbeat.
   */
  private static void awaitNodeReport(ControllerRole controller, String nodeId, HostCapacity expected) throws InterruptedException {
    boolean reported = Waiting.holdsWithin(TIME, () -> {
      var node = controller.agents().nodes().get(nodeId);
      return node.isPresent() && node.get().state() == NodeState.AVAILABLE && expected.equals(node.get().capacity());
    }, NODE_REPORT_TIMEOUT, Duration.ofMillis(20));
    if (!reported) {
      LOG.warn("node {} has not reported its hypervisor's capacity yet; instances may not fit until it does", nodeId);
    }
  }

  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  @Override
  public void close() {
    files.withdrawEndpoints();
    for (int i = roles.size() - 1; i >= 0; i--) {
      roles.get(i).close();
    }
    roles.clear();
    close(nodeVertx);
    close(vertx);
  }

  private static void close(Vertx instance) {
    if (instance != null) {
      try {
        Futures.await(instance.close().toCompletionStage(), VERTX_CLOSE_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
      }
    }
  }
}
