package dev.canopy.deploy.dev;

import dev.canopy.core.time.Time;
import dev.canopy.node.guests.VirtTypeProbe;

import dev.canopy.cloud.agents.AgentServer;
import dev.canopy.cloud.agents.EnrollmentTokens;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.agents.TokenRecord;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.deploy.node.HostResources;
import dev.canopy.deploy.node.NodeRuntime;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.api.http.ConnectionLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The controller's agent side in the cloud in a box: CA, enrollment tokens, node registry and
 * the agent port; plus the in-process node agent, which enrolls with a token it makes itself
 * and talks to the agent port over loopback mutual TLS like any other node.
 */
public final class AgentPlane {

  private static final String CONTROLLER_ID = "dev";

  private final CertificateAuthority ca;
  private final EnrollmentTokens tokens;
  private final NodeRegistry nodes;
  private final MeteringService metering;
  private final Time clock;
  private final SecureRandom random;
  private AgentServer server;
  private AgentClient agent;
  private NodeRuntime localNode;
  private String url;

  private AgentPlane(Grid grid, CertificateAuthority ca, Time clock, SecureRandom random) {
    this.ca = ca;
    this.clock = clock;
    this.random = random;
    this.tokens = new EnrollmentTokens(grid.map(EnrollmentTokens.MAP_NAME, TokenRecord.class), clock, random, ca.caSha256());
    this.nodes = new NodeRegistry(grid.map(NodeRegistry.MAP_NAME, NodeRecord.class), clock, AgentSettings.DEFAULT_HEARTBEAT);
    this.metering = MeteringService.onGrid(grid, clock);
  }

  /** Loads the CA (creating it at the cloud's first start). */
  public static AgentPlane create(Grid grid, SecretBox secrets, String cloudName, Time clock, SecureRandom random) {
    CertificateAuthority ca =
        CertificateAuthority.loadOrCreate(grid.map(CertificateAuthority.MAP_NAME, CaRecord.class), secrets, cloudName, clock, random);
    return new AgentPlane(grid, ca, clock, random);
  }

  public CertificateAuthority ca() {
    return ca;
  }

  public EnrollmentTokens tokens() {
    return tokens;
  }

  public NodeRegistry nodes() {
    return nodes;
  }

  public MeteringService metering() {
    return metering;
  }

  /** Valid once {@link #listen} completed. */
  public NodeCommands commands() {
    return server.commands();
  }

  public String url() {
    return url;
  }

  /** Starts the cloud in a box's agent port; completes with its URL. */
  public Future<String> listen(Vertx vertx, String host, int port, ConnectionLimits limits) {
    return listen(vertx, host, port, limits, CONTROLLER_ID, List::of);
  }

  /**
   * Starts the agent port presenting controller {@code controllerId}'s certificate; completes with
   * its URL.
   *
   * @param controllers every controller's agent URL as last read (never blocks): what enrollment
   *     returns and what agents are told, so they open sessions with controllers they lack
   */
  public Future<String> listen(Vertx vertx, String host, int port, ConnectionLimits limits, String controllerId,
      Supplier<List<String>> controllers) {
    server = new AgentServer(vertx, ca, ca.controllerCredentials(controllerId, List.of(host), CertificateAuthority.SERVER_VALIDITY),
        tokens, nodes, metering, controllers, clock, random)
        .withConnectionLimits(limits);
    return server.listen(host, port).map(bound -> {
      url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound;
      return url;
    });
  }

  /**
   * Starts the in-process node agent (data under {@code nodeDir}); the first start enrolls it
   * with a short-lived token. Completes with its node id.
   */
  public Future<String> startLocalAgent(Vertx vertx, Path nodeDir, String zone, String hypervisorUri, String virtType,
      Optional<VirtTypeProbe.ProbeImage> probe) {
    Optional<String> token = AgentClient.isEnrolled(nodeDir) ? Optional.empty() : Optional.of(tokens.create(Duration.ofMinutes(10)));
    AgentSettings settings = new AgentSettings(nodeDir, List.of(url), token, "dev", zone, AgentSettings.DEFAULT_HEARTBEAT);
    localNode = new NodeRuntime(nodeDir, hypervisorUri, virtType, probe, clock, random);
    agent = new AgentClient(vertx, settings, localNode.capacity(), HostResources::load, localNode.domains(),
        localNode.dispatcher(), clock, random);
    // libvirt is opened as the enrolled node, off the event loop.
    return agent.start().compose(nodeId -> vertx.executeBlocking(() -> {
      localNode.open(nodeId);
      // The first heartbeat reported the host; report what libvirt offers before anyone schedules.
      agent.heartbeatNow();
      return nodeId;
    }, false)).compose(nodeId -> localNode.startMetering(vertx, agent, settings.meteringInterval()).map(nodeId));
  }

  /** What the in-process node reports as its capacity (its hypervisor's, once connected). */
  public dev.canopy.node.protocol.HostCapacity localCapacity() {
    return localNode.capacity().get();
  }

  public Future<Void> close() {
    Future<Void> meteringStopped = localNode == null ? Future.succeededFuture() : localNode.stopMetering();
    Future<Void> agentClosed = meteringStopped.eventually(() -> agent == null ? Future.succeededFuture() : agent.close());
    return agentClosed
        .eventually(() -> server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> {
          if (localNode != null) {
            localNode.close();
          }
          return Future.succeededFuture();
        });
  }
}
