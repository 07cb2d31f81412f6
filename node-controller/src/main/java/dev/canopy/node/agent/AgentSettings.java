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
 */
public record AgentSettings(
    Path dataDir, List<String> controllers, Optional<String> token, String hostname, String zone, Duration heartbeatInterval) {

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

  public AgentSettings {
    controllers = List.copyOf(controllers);
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("the heartbeat interval must be positive");
    }
  }

  @Override
  public String toString() {
    return "AgentSettings[dataDir=" + dataDir + ", controllers=" + controllers + ", zone=" + zone + "]";
  }
}
