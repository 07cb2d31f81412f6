package dev.canopy.deploy.controller;

import dev.canopy.core.time.Time;

import dev.canopy.cloud.agents.AgentServer;
import dev.canopy.cloud.agents.EnrollmentTokens;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.cloud.agents.NodePulse;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.agents.TokenRecord;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.hostmetrics.HostMetricsStore;
import dev.canopy.cloud.latency.LatencyRecorder;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.cloud.ca.TlsCredentials;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;

/**
 * The controller's agent side: CA, enrollment tokens, node registry and the agent port, where
 * node agents hold their mutual-TLS sessions.
 */
public final class AgentPlane {

  private final CertificateAuthority ca;
  private final EnrollmentTokens tokens;
  private final NodeRegistry nodes;
  private final MeteringService metering;
  private final Time clock;
  private final SecureRandom random;
  private volatile AgentServer server;
  private TlsCredentials serverCredentials;
  private HostMetricsStore hostMetrics;
  private LatencyRecorder latency;
  private String url;

  private AgentPlane(Grid grid, CertificateAuthority ca, Time clock, SecureRandom random) {
    this.ca = ca;
    this.clock = clock;
    this.random = random;
    this.tokens = new EnrollmentTokens(grid.map(EnrollmentTokens.MAP_NAME, TokenRecord.class), clock, random, ca.caSha256());
    this.nodes = new NodeRegistry(grid.map(NodeRegistry.MAP_NAME, NodeRecord.class),
        grid.map(NodeRegistry.PULSES_MAP, NodePulse.class), clock, AgentSettings.DEFAULT_HEARTBEAT);
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

  /** Where the agents' host samples are stored and where heartbeat and command latency is measured. Call before {@link #listen}. */
  public AgentPlane withHostViews(HostMetricsStore store, LatencyRecorder recorder) {
    this.hostMetrics = store;
    this.latency = recorder;
    return this;
  }

  /** Null until {@link #withHostViews}. */
  public HostMetricsStore hostMetrics() {
    return hostMetrics;
  }

  /** Null until {@link #withHostViews}. */
  public LatencyRecorder latency() {
    return latency;
  }

  /** Valid once {@link #listen} completed. */
  public NodeCommands commands() {
    return server.commands();
  }

  /** Whether node {@code nodeId} has a session with this controller now (never, before {@link #listen}). */
  public boolean hasSession(String nodeId) {
    AgentServer listening = server;
    return listening != null && listening.hasSession(nodeId);
  }

  /** What the agent port presents (renewable in place); valid once {@link #listen} completed. */
  public TlsCredentials serverCredentials() {
    return serverCredentials;
  }

  public String url() {
    return url;
  }

  /**
   * Starts the agent port presenting controller {@code controllerId}'s certificate; completes with
   * its URL.
   *
   * @param controllers every controller's agent URL as last read (never blocks): what enrollment
   *     returns and what agents are told, so they open sessions with controllers they lack
   * @param controllerStarts changes when a controller starts again (never blocks): agents are told
   *     the controllers again then, and retry at once a session they were backing off
   */
  public Future<String> listen(Vertx vertx, String host, int port, ConnectionLimits limits, String controllerId,
      Supplier<List<String>> controllers, java.util.function.LongSupplier controllerStarts) {
    serverCredentials = ca.controllerCredentials(controllerId, List.of(host), CertificateAuthority.SERVER_VALIDITY);
    server = new AgentServer(vertx, ca, serverCredentials, tokens, nodes, metering, controllers, clock, random)
        .withConnectionLimits(limits).withControllerStarts(controllerStarts);
    if (hostMetrics != null) {
      server.withHostMetrics(hostMetrics);
    }
    if (latency != null) {
      server.withLatency(latency);
    }
    return server.listen(host, port).map(bound -> {
      url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound;
      return url;
    });
  }

  /**
   * {@code canopy_node_certificate_soonest_expiry_seconds}: time until the soonest expiry among
   * the certificates of the nodes connected to this controller (NaN with none). Agents renew at
   * two thirds of the 90 days, so below 30 days (2,592,000 s) a node is failing to renew: its log
   * says why.
   */
  public void meter(MeterRegistry metrics) {
    Gauge.builder("canopy.node.certificate.soonest.expiry", this, plane -> {
          AgentServer listening = plane.server;
          return listening == null ? Double.NaN
              : listening.soonestNodeCertificateExpiry().map(left -> (double) left.toSeconds()).orElse(Double.NaN);
        })
        .baseUnit("seconds")
        .description("Time until the soonest expiry among the connected nodes' certificates")
        .register(metrics);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
