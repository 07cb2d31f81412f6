package dev.canopy.node.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one agent runs.
 *
 * @param dataDir where the agent keeps its key, certificate, CA and node id
 * @param controllers agent-port URLs ({@code https://host:8775}) to enroll with and connect to
 * @param token the one-time enrollment token; only needed until the agent is enrolled
 * @param hostname reported at enrollment
 * @param zone the availability zone this node serves
 * @param heartbeatInterval 5 s in production
 * @param meteringInterval how often the agent reads its guests' traffic, CPU and memory counters; 10 s in production
 */
public record AgentSettings(
    Path dataDir, List<String> controllers, Optional<String> token, String hostname, String zone, Duration heartbeatInterval,
    Duration meteringInterval) {

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_METERING_INTERVAL = Duration.ofSeconds(10);

  public AgentSettings {
    controllers = List.copyOf(controllers);
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("the heartbeat interval must be positive");
    }
    if (meteringInterval.isNegative() || meteringInterval.isZero()) {
      throw new IllegalArgumentException("the metering interval must be positive");
    }
  }

  /** With the default metering interval. */
  public AgentSettings(
      Path dataDir, List<String> controllers, Optional<String> token, String hostname, String zone, Duration heartbeatInterval) {
    this(dataDir, controllers, token, hostname, zone, heartbeatInterval, DEFAULT_METERING_INTERVAL);
  }

  public AgentSettings withMeteringInterval(Duration interval) {
    return new AgentSettings(dataDir, controllers, token, hostname, zone, heartbeatInterval, interval);
  }

  @Override
  public String toString() {
    return "AgentSettings[dataDir=" + dataDir + ", controllers=" + controllers + ", zone=" + zone + "]";
  }
}
