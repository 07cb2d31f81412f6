package dev.canopy.cloud.gridtunnel;

import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.lease.net.PeerIds;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How the tunnel's sockets are configured. Between hosts: mutual TLS, certificates of role
 * controller from this cloud's CA only, checked by the same trust manager and the same id rule as
 * the lease port ({@link PeerIds}). On loopback: plain TCP. Every socket has the same idle,
 * connect and handshake bounds.
 */
final class TunnelSockets {

  private final TlsCredentials credentials;
  private final X509Certificate ca;
  private final InstantSource certificateClock;
  private final TunnelLimits limits;

  /**
   * @param credentials this controller's key and certificate ({@code canopy:controller:<id>})
   * @param ca the cloud's CA certificate: the only issuer trusted on either end
   * @param certificateClock the time certificates are checked at
   */
  TunnelSockets(TlsCredentials credentials, X509Certificate ca, InstantSource certificateClock, TunnelLimits limits) {
    this.credentials = credentials;
    this.ca = ca;
    this.certificateClock = certificateClock;
    this.limits = limits;
  }

  TunnelLimits limits() {
    return limits;
  }

  /** The gateway: a client without a controller certificate of this CA fails the handshake. */
  NetServerOptions tlsServer() {
    return new NetServerOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(credentials.keyManagers()))
        .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(ca, certificateClock, Set.of(PeerRole.CONTROLLER), "grid gateway")))
        .setClientAuth(ClientAuth.REQUIRED)
        .setSslHandshakeTimeout(limits.handshakeTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true)
        .setIdleTimeout((int) limits.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * A forwarder's dial to a peer's gateway, from {@code localAddress} (this controller's own, so
   * that a firewall rule can still name its traffic).
   */
  NetClientOptions tlsClient(String localAddress) {
    return new NetClientOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(credentials.keyManagers()))
        .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(ca, certificateClock, Set.of(PeerRole.CONTROLLER), "grid forwarder")))
        // A controller is named by the id in its certificate, not by the address it was dialled on.
        .setHostnameVerificationAlgorithm("")
        .setLocalAddress(localAddress)
        .setSslHandshakeTimeout(limits.handshakeTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setConnectTimeout((int) limits.connectTimeoutMs())
        .setTcpNoDelay(true)
        .setIdleTimeout((int) limits.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** A forwarder's listener on a peer's alias. */
  NetServerOptions loopbackServer() {
    return new NetServerOptions()
        .setTcpNoDelay(true)
        .setIdleTimeout((int) limits.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The gateway's dial to the local member, from {@code localAddress} (the peer's alias). */
  NetClientOptions loopbackClient(String localAddress) {
    return new NetClientOptions()
        .setLocalAddress(localAddress)
        .setConnectTimeout((int) limits.connectTimeoutMs())
        .setTcpNoDelay(true)
        .setIdleTimeout((int) limits.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The controller id the other end of a TLS connection proved with its certificate. */
  int peerIdOf(NetSocket socket) throws PeerRefusedException {
    return PeerIds.verifiedNodeId(socket, ca, certificateClock);
  }
}
