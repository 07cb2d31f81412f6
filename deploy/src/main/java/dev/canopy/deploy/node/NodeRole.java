package dev.canopy.deploy.node;

import dev.canopy.core.time.Futures;
import dev.canopy.core.time.Time;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.guests.VirtTypeProbe;
import dev.canopy.node.hostmetrics.HostMetricsLoop;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.deploy.process.Role;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node role: a node agent on this host. It enrolls with a one-time token at its first start
 * (later starts reuse the credentials in its data folder), opens libvirt as the enrolled node,
 * reports the hypervisor's capacity, meters its guests and serves the controllers' commands over
 * mutual TLS.
 */
public final class NodeRole implements Role {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRole.class);
  private static final Duration ENROLL_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration METERING_START_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @param data the agent's folder (credentials, instance files, image cache, metering queue)
   * @param controllers agent-port URLs of the controllers (any one is enough: it names the others)
   * @param token the one-time enrollment token, needed only before the first enrollment
   * @param name how the node names itself (its host name)
   * @param zone the availability zone it serves
   * @param hypervisorUri libvirt's URI ({@code test:///default} runs no guests)
   * @param virtType kvm, qemu or auto (boot {@code probe} under KVM first)
   */
  public record Settings(Path data, List<String> controllers, Optional<String> token, String name, String zone,
      String hypervisorUri, String virtType, Optional<VirtTypeProbe.ProbeImage> probe) {}

  private final Vertx vertx;
  private final NodeRuntime runtime;
  private final AgentClient agent;
  private String nodeId;
  private String hostMetricsDeployment;

  private NodeRole(Vertx vertx, NodeRuntime runtime, AgentClient agent) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.agent = agent;
  }

  /** Enrolls (first start) or reconnects, then opens libvirt and starts metering. Blocking. */
  public static NodeRole start(Settings settings, ProcessParts parts) throws Exception {
    Vertx vertx = parts.vertx();
    Time time = parts.time();
    SecureRandom random = parts.random();
    NodeRuntime runtime = new NodeRuntime(settings.data(), settings.hypervisorUri(), settings.virtType(), settings.probe(), time, random);
    AgentSettings agentSettings = new AgentSettings(settings.data(), settings.controllers(), settings.token(), settings.name(),
        settings.zone(), AgentSettings.DEFAULT_HEARTBEAT);
    AgentClient agent = new AgentClient(vertx, agentSettings, runtime.capacity(), HostResources::load, runtime.domains(),
        runtime.dispatcher(), time, random);
    NodeRole role = new NodeRole(vertx, runtime, agent);
    try {
      role.nodeId = Futures.await(agent.start().toCompletionStage(), ENROLL_TIMEOUT, "enrollment and the first session");
      // libvirt is opened as the enrolled node: domains carry its id in their metadata.
      runtime.open(role.nodeId);
      // Report the hypervisor's capacity now rather than the host figures of the first heartbeat.
      agent.heartbeatNow();
      Futures.await(runtime.startMetering(vertx, agent, agentSettings.meteringInterval()).toCompletionStage(),
          METERING_START_TIMEOUT, "the metering loop's start");
      // The host's own CPU, memory, disks and network, on the same interval as guest metering.
      role.hostMetricsDeployment = Futures.await(
          vertx.deployVerticle(HostMetricsLoop.create(agent, agentSettings.meteringInterval(), time, random)).toCompletionStage(),
          METERING_START_TIMEOUT, "the host metrics loop's start");
      return role;
    } catch (Exception | Error e) {
      role.close();
      throw e;
    }
  }

  /** What enrollment assigned. */
  public String nodeId() {
    return nodeId;
  }

  /** The controllers this agent has sessions with or is dialling. */
  public List<String> controllers() {
    return agent.controllers();
  }

  /** What the node reports as its capacity (its hypervisor's, once connected). */
  public HostCapacity capacity() {
    return runtime.capacity().get();
  }

  @Override
  public Map<String, String> endpoints() {
    return Map.of();
  }

  /** Stops metering (what is queued stays on disk), closes the sessions, then libvirt. */
  @Override
  public void close() {
    // One wait per step: a chained future never completes once its event loop has stopped.
    try {
      if (hostMetricsDeployment != null) {
        Futures.await(vertx.undeploy(hostMetricsDeployment).toCompletionStage(), STOP_STEP_TIMEOUT, "the host metrics loop's stop");
      }
      Futures.await(runtime.stopMetering().toCompletionStage(), STOP_STEP_TIMEOUT, "the metering loop's stop");
      Futures.await(agent.close().toCompletionStage(), STOP_STEP_TIMEOUT, "the controller sessions' close");
    } catch (Exception e) {
      LOG.warn("the node agent did not stop cleanly: {}", e.toString());
    }
    runtime.close();
  }
}
