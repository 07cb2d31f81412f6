package dev.canopy.api.http;

import java.time.Duration;

/**
 * How many connections one listener holds and how long it waits on them; {@link ConnectionGuard}
 * enforces them. Every listener of every process uses {@link #DEFAULTS} unless its config says
 * otherwise, so the limits live here and nowhere else.
 *
 * @param connectionsMax connections open at once on the listener; the next one is closed at once
 * @param connectionsPerAddressMax connections open at once from one client address; the next one is closed at once
 * @param idleTimeout a connection that has neither read nor written for this long is closed
 * @param headTimeout a connection must send a complete request head within this long of opening,
 *     and again within this long of its previous answer; otherwise it is closed (slow-header
 *     clients). On TLS listeners the handshake must also finish within it.
 */
public record ConnectionLimits(int connectionsMax, int connectionsPerAddressMax, Duration idleTimeout, Duration headTimeout) {

  /**
   * Far above what the SDKs open (the AWS SDK for Java pools 50 connections, the CLI 10), far
   * below what file descriptors and memory allow; a whole office behind one NAT address still fits.
   */
  public static final int CONNECTIONS_MAX_DEFAULT = 4096;
  public static final int CONNECTIONS_PER_ADDRESS_MAX_DEFAULT = 256;
  /** Longer than the SDKs keep an unused pooled connection, so they rarely reuse one the server just closed. */
  public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(60);
  /** A real client sends its head in one write; ten seconds covers a slow network. */
  public static final Duration HEAD_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

  public static final ConnectionLimits DEFAULTS = new ConnectionLimits(
      CONNECTIONS_MAX_DEFAULT, CONNECTIONS_PER_ADDRESS_MAX_DEFAULT, IDLE_TIMEOUT_DEFAULT, HEAD_TIMEOUT_DEFAULT);

  public ConnectionLimits {
    if (connectionsMax < 1) {
      throw new IllegalArgumentException("connectionsMax must be positive: " + connectionsMax);
    }
    if (connectionsPerAddressMax < 1 || connectionsPerAddressMax > connectionsMax) {
      throw new IllegalArgumentException(
          "connectionsPerAddressMax must be between 1 and connectionsMax (" + connectionsMax + "): " + connectionsPerAddressMax);
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (headTimeout == null || headTimeout.isNegative() || headTimeout.isZero()) {
      throw new IllegalArgumentException("headTimeout must be positive: " + headTimeout);
    }
  }

  /** The same limits with another idle timeout (a listener whose clients keep connections longer). */
  public ConnectionLimits withIdleTimeout(Duration timeout) {
    return new ConnectionLimits(connectionsMax, connectionsPerAddressMax, timeout, headTimeout);
  }
}
