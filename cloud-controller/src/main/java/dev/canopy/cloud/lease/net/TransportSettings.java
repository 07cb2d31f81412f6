package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.LeaseConfig;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the lease transport listens and dials, validated at construction (the field is named in
 * each {@link IllegalArgumentException}).
 *
 * @param selfId this controller's lease node id; its certificate must name {@code canopy:controller:<selfId>}
 * @param peerIds every other configured controller, each dialled and the only ids accepted inbound
 * @param listenHost the address the lease port binds
 * @param listenPort the lease port, {@link #DEFAULT_PORT} normally, 0 for an ephemeral port
 * @param connectTimeoutMs how long one TCP connect may take
 * @param handshakeTimeoutMs how long one TLS handshake may take, inbound or outbound
 * @param reconnectMinMs the first wait before dialling a peer again; doubled up to {@code reconnectMaxMs}
 * @param reconnectMaxMs the longest wait between two dials of one peer
 * @param keepaliveIntervalMs how often an empty frame goes both ways on every connection
 * @param idleTimeoutMs a connection that has read nothing (not even a keepalive) for this long is closed
 * @param writeQueueMaxBytes bytes queued towards one peer before further messages to it are dropped
 */
public record TransportSettings(
    int selfId,
    Set<Integer> peerIds,
    String listenHost,
    int listenPort,
    long connectTimeoutMs,
    long handshakeTimeoutMs,
    long reconnectMinMs,
    long reconnectMaxMs,
    long keepaliveIntervalMs,
    long idleTimeoutMs,
    int writeQueueMaxBytes) {

  public static final int DEFAULT_PORT = 8776;

  public TransportSettings {
    if (peerIds == null || peerIds.contains(selfId)) {
      throw new IllegalArgumentException("peerIds must be given and must not contain selfId " + selfId);
    }
    peerIds = Collections.unmodifiableSortedSet(new TreeSet<>(peerIds));
    if (listenHost == null || listenHost.isBlank()) {
      throw new IllegalArgumentException("listenHost must not be blank");
    }
    if (listenPort < 0 || listenPort > 65_535) {
      throw new IllegalArgumentException("listenPort must be in 0..65535: " + listenPort);
    }
    positive("connectTimeoutMs", connectTimeoutMs);
    positive("handshakeTimeoutMs", handshakeTimeoutMs);
    positive("reconnectMinMs", reconnectMinMs);
    if (reconnectMaxMs < reconnectMinMs || reconnectMaxMs > 60_000) {
      throw new IllegalArgumentException("reconnectMaxMs must be in reconnectMinMs..60000: " + reconnectMaxMs);
    }
    positive("keepaliveIntervalMs", keepaliveIntervalMs);
    // Two keepalives may be lost to scheduling before an idle connection counts as dead.
    if (idleTimeoutMs < 3 * keepaliveIntervalMs || idleTimeoutMs > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("idleTimeoutMs must be at least 3 * keepaliveIntervalMs: " + idleTimeoutMs);
    }
    if (writeQueueMaxBytes < Frames.HEADER_BYTES + Frames.FRAME_BYTES_MAX) {
      throw new IllegalArgumentException("writeQueueMaxBytes must hold at least one largest frame: " + writeQueueMaxBytes);
    }
  }

  /**
   * The usual settings for controller {@code selfId} of {@code config}: connect 2 s, handshake
   * 5 s, reconnect 100 ms doubling to 2 s, keepalive 1 s, idle 5 s, 256 KiB queued per peer.
   */
  public static TransportSettings defaults(LeaseConfig config, int selfId, String listenHost, int listenPort) {
    Set<Integer> peers = new TreeSet<>(config.controllerIds());
    if (!peers.remove(selfId)) {
      throw new IllegalArgumentException("selfId " + selfId + " is not a configured controller");
    }
    return new TransportSettings(selfId, peers, listenHost, listenPort, 2_000, 5_000, 100, 2_000, 1_000, 5_000, 256 * 1024);
  }

  /** The same settings with the peers of another controller set, which must still name this controller. */
  public TransportSettings withPeers(LeaseConfig next) {
    Set<Integer> peers = new TreeSet<>(next.controllerIds());
    if (!peers.remove(selfId)) {
      throw new IllegalArgumentException("controller " + selfId + " is not in the set " + next.ids() + ": it leaves instead");
    }
    return new TransportSettings(selfId, peers, listenHost, listenPort, connectTimeoutMs, handshakeTimeoutMs, reconnectMinMs,
        reconnectMaxMs, keepaliveIntervalMs, idleTimeoutMs, writeQueueMaxBytes);
  }

  private static void positive(String name, long value) {
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
