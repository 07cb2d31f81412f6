package dev.canopy.cloud.gridtunnel;

/**
 * The bounds of every relay in the grid tunnel, validated at construction (the field is named in
 * each {@link IllegalArgumentException}).
 *
 * @param connectionsPerPeerMax relayed connections open at once for one peer controller; Hazelcast
 *     keeps one or two per pair of members, so more means a leak or a misbehaving peer
 * @param relayBufferBytes bytes queued towards either side of one relay before reading the other
 *     side pauses (backpressure), so a slow reader holds at most this much in memory per direction
 * @param idleTimeoutMs a relay leg that carried nothing either way for this long is closed (and
 *     the other leg with it); members send a heartbeat every second
 * @param connectTimeoutMs how long one dial may take, to the local member or to a peer's gateway
 * @param handshakeTimeoutMs how long one TLS handshake may take, inbound or outbound
 */
public record TunnelLimits(
    int connectionsPerPeerMax, int relayBufferBytes, long idleTimeoutMs, long connectTimeoutMs, long handshakeTimeoutMs) {

  /** 8 connections per peer, 256 KiB each way, idle 60 s, connect 2 s, handshake 5 s. */
  public static final TunnelLimits DEFAULTS = new TunnelLimits(8, 256 * 1024, 60_000, 2_000, 5_000);

  public TunnelLimits {
    if (connectionsPerPeerMax < 1 || connectionsPerPeerMax > 1_024) {
      throw new IllegalArgumentException("connectionsPerPeerMax must be in 1..1024: " + connectionsPerPeerMax);
    }
    // Hazelcast writes packets of up to tens of KiB; a buffer below that would stall on every one.
    if (relayBufferBytes < 64 * 1024 || relayBufferBytes > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("relayBufferBytes must be in 64 KiB..64 MiB: " + relayBufferBytes);
    }
    positive("idleTimeoutMs", idleTimeoutMs);
    positive("connectTimeoutMs", connectTimeoutMs);
    positive("handshakeTimeoutMs", handshakeTimeoutMs);
  }

  private static void positive(String name, long value) {
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be in 1.." + Integer.MAX_VALUE + ": " + value);
    }
  }
}
