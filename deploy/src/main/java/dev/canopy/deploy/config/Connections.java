package dev.canopy.deploy.config;

import dev.canopy.api.http.ConnectionLimits;
import java.time.Duration;

/**
 * Caps and timeouts of every client-facing listener's connections (EC2, S3, console,
 * management, agent); each listener counts on its own. Unset keys take {@link
 * ConnectionLimits#DEFAULTS}; a bad value names its key ({@code connections.perAddress}, ...).
 *
 * @param perListener connections open at once on one listener
 * @param perAddress connections open at once from one client address on one listener
 * @param idleTimeoutSeconds a connection with no traffic for this long is closed
 * @param headTimeoutSeconds a connection that has not sent a complete request head this long
 *     after opening (or after its previous answer) is closed
 */
public record Connections(Integer perListener, Integer perAddress, Integer idleTimeoutSeconds, Integer headTimeoutSeconds) {

  public Connections {
    ConnectionLimits defaults = ConnectionLimits.DEFAULTS;
    perListener = Limits.positive("connections.perListener", perListener, defaults.connectionsMax());
    perAddress = Limits.positive("connections.perAddress", perAddress, defaults.connectionsPerAddressMax());
    idleTimeoutSeconds = Limits.positive("connections.idleTimeoutSeconds", idleTimeoutSeconds, (int) defaults.idleTimeout().toSeconds());
    headTimeoutSeconds = Limits.positive("connections.headTimeoutSeconds", headTimeoutSeconds, (int) defaults.headTimeout().toSeconds());
    if (perAddress > perListener) {
      throw new ConfigException("connections.perAddress", perAddress + " is above connections.perListener (" + perListener + ")");
    }
  }

  public static Connections defaults() {
    return new Connections(null, null, null, null);
  }

  public ConnectionLimits limits() {
    return new ConnectionLimits(perListener, perAddress, Duration.ofSeconds(idleTimeoutSeconds), Duration.ofSeconds(headTimeoutSeconds));
  }
}
