package dev.canopy.cloud.agents;

import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.commands.SparseDiskProvisioner;
import dev.canopy.node.hypervisor.DomainState;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.HostInfo;
import dev.canopy.node.hypervisor.NicAttachment;
import dev.canopy.node.hypervisor.VirtType;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Test fixture: the controller's agent plane as the dev assembly wires it (a real
 * {@link CertificateAuthority}, {@link EnrollmentTokens}, {@link NodeRegistry} and mutual-TLS
 * {@link AgentServer} on a grid) and real {@link AgentClient}s enrolled against it, each with
 * its own one-time token and each answering commands through the real node-side path
 * ({@link NodeCompute}: epoch check, command-id dedupe, handlers, sparse root disk) over its own
 * {@link FakeHypervisor} of a given capacity, so no libvirt.
 *
 * <p>Build it where the grid is (inside {@code Ec2TestCloud}'s family factory), {@link #listen}
 * once, {@link #enroll} the nodes (from any thread), {@link #awaitAllAvailable} and
 * {@link #close} when done. The Vert.x instances stay the caller's.
 */
public final class AgentCluster implements AutoCloseable {

  /**
   * How the cluster is built: the CA's cloud name, the nodes' zone, their heartbeat interval,
   * how long an enrollment token lives and how long an agent may take to enroll.
   */
  public record Options(String cloudName, String zone, Duration heartbeat, Duration tokenTtl, Duration enrollTimeout) {}

  /** One enrolled agent with its node side. */
  public static final class Node {
    private final String name;
    private final HostCapacity capacity;
    private final FakeHypervisor hypervisor;
    private final AtomicReference<NodeCompute> compute = new AtomicReference<>();
    private AgentClient agent;
    private String nodeId;

    private Node(String name, HostCapacity capacity) {
      this.name = name;
      this.capacity = capacity;
      this.hypervisor = new FakeHypervisor(new HostInfo(capacity.vcpus(), capacity.memoryMib() * 1024));
    }

    public String name() {
      return name;
    }

    /** What the node offers: CPUs and memory as its hypervisor reports them, disk from its settings. */
    public HostCapacity capacity() {
      return capacity;
    }

    public String nodeId() {
      return nodeId;
    }

    public FakeHypervisor hypervisor() {
      return hypervisor;
    }

    /** The node side; null once the cluster is closed. */
    public NodeCompute compute() {
      return compute.get();
    }

    public AgentClient agent() {
      return agent;
    }

    /** The node's running domains that it owns, by instance id. */
    public Set<String> runningInstances() {
      return hypervisor.list().stream()
          .filter(d -> d.ownedBy(nodeId) && d.state() == DomainState.RUNNING)
          .map(d -> d.metadata().instanceId())
          .collect(Collectors.toCollection(TreeSet::new));
    }

    /** How many domains the node owns that are running. */
    public long runningDomains() {
      return hypervisor.list().stream().filter(d -> d.ownedBy(nodeId) && d.state() == DomainState.RUNNING).count();
    }
  }

  private final Options options;
  private final Path dataRoot;
  private final CertificateAuthority ca;
  private final EnrollmentTokens tokens;
  private final NodeRegistry registry;
  private final AgentServer server;
  private final List<Node> nodes = new CopyOnWriteArrayList<>();
  private String agentUrl;

  /** The controller side on {@code grid}, its agent server on {@code serverVertx}; node data under {@code dataRoot}. */
  public AgentCluster(Grid grid, dev.canopy.core.time.Time clock, SecureRandom random, Vertx serverVertx, Path dataRoot, Options options) {
    this.options = options;
    this.dataRoot = dataRoot;
    ca = CertificateAuthority.loadOrCreate(grid.map(CertificateAuthority.MAP_NAME, CaRecord.class),
        new SecretBox(MasterKey.generate(random), random), options.cloudName(), clock, random);
    tokens = new EnrollmentTokens(grid.map(EnrollmentTokens.MAP_NAME, TokenRecord.class), clock, random, ca.caSha256());
    registry = new NodeRegistry(grid.map(NodeRegistry.MAP_NAME, NodeRecord.class),
        grid.map(NodeRegistry.PULSES_MAP, NodePulse.class), clock, AgentSettings.DEFAULT_HEARTBEAT);
    server = new AgentServer(serverVertx, ca,
        ca.controllerCredentials("c1", List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY),
        tokens, registry, MeteringService.onGrid(grid, clock), List.of(), clock, random);
  }

  public NodeRegistry registry() {
    return registry;
  }

  public AgentServer server() {
    return server;
  }

  /** The command channel the scheduler uses. */
  public NodeCommands commands() {
    return server.commands();
  }

  /** Starts the agent server on an ephemeral loopback port; returns its URL. */
  public String listen() throws Exception {
    agentUrl = "https://127.0.0.1:" + await(server.listen("127.0.0.1", 0), Duration.ofSeconds(60));
    return agentUrl;
  }

  /**
   * Enrolls a real agent on {@code agentVertx} with its own one-time token. Its node side
   * (hypervisor, epoch store, handlers) is wired once enrollment has named the node, as the node
   * runtime does; until then it offers nothing and refuses commands. The node joins
   * {@link #nodes()} only once enrolled.
   */
  public Node enroll(Vertx agentVertx, String name, HostCapacity capacity) throws Exception {
    if (agentUrl == null) {
      throw new IllegalStateException("listen() first");
    }
    Node node = new Node(name, capacity);
    Path dataDir = dataRoot.resolve("node-" + name);
    AgentSettings settings = new AgentSettings(dataDir, List.of(agentUrl), Optional.of(tokens.create(options.tokenTtl())),
        "host-" + name, options.zone(), options.heartbeat());
    node.agent = new AgentClient(agentVertx, settings,
        () -> {
          NodeCompute compute = node.compute.get();
          if (compute == null) {
            return new HostCapacity(0, 0, 0);
          }
          var offered = compute.inventory().capacity();
          return new HostCapacity(offered.vcpus(), offered.memoryMib(), offered.diskGib());
        },
        () -> new HostLoad(0.1, 256),
        () -> node.compute.get() == null ? List.<DomainReport>of() : node.compute.get().inventory().domains(),
        command -> {
          NodeCompute compute = node.compute.get();
          return compute == null ? new Ack(command.id(), false, "NotReady", "the node side is not wired yet", 0, null)
              : compute.dispatcher().dispatch(command);
        },
        java.time.Clock.systemUTC(), new java.util.Random(nodes.size()));
    try {
      node.nodeId = await(node.agent.start(), options.enrollTimeout());
    } catch (Exception e) {
      quietly(() -> await(node.agent.close(), Duration.ofSeconds(60)));
      throw e;
    }
    NodeSettings nodeSettings = new NodeSettings(node.nodeId, dataDir, VirtType.QEMU, NicAttachment.network("default"),
        Duration.ofSeconds(60), Duration.ofMillis(500), null, null, null, capacity.diskGib(), 1.0, 1.0, 1.0);
    node.compute.set(NodeCompute.wire(nodeSettings, node.hypervisor, new SparseDiskProvisioner(), SystemTime.INSTANCE));
    node.agent.heartbeatNow();
    nodes.add(node);
    return node;
  }

  /** The enrolled nodes, in enrollment order. */
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** True when every enrolled node holds a session and is AVAILABLE with the capacity its node side offers. */
  public boolean allAvailable() {
    Map<String, NodeRecord> records = registry.list().stream().collect(Collectors.toMap(NodeRecord::nodeId, Function.identity()));
    return nodes.stream().allMatch(n -> server.hasSession(n.nodeId) && Optional.ofNullable(records.get(n.nodeId))
        .filter(r -> r.state() == NodeState.AVAILABLE && n.capacity.equals(r.capacity())).isPresent());
  }

  /** Polls {@link #allAvailable()} every 10 ms; false when {@code timeout} runs out first. */
  public boolean awaitAllAvailable(Duration timeout) {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .until(this::allAvailable);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** Closes every agent (together), then the agent server, then every node side; failures are logged, not thrown. */
  @Override
  public void close() {
    List<Future<Void>> closes = nodes.stream().map(n -> n.agent.close()).toList();
    quietly(() -> await(Future.join(closes).mapEmpty(), Duration.ofSeconds(60)));
    quietly(() -> await(server.close(), Duration.ofSeconds(60)));
    for (Node node : nodes) {
      NodeCompute compute = node.compute.getAndSet(null);
      if (compute != null) {
        quietly(compute::close);
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception | LinkageError e) {
      System.err.println("AgentCluster: cleanup step failed: " + e);
    }
  }

  private static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
