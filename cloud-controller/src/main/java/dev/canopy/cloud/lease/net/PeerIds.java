package dev.canopy.cloud.lease.net;

import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.net.NetSocket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The lease node id of the controller at the other end of a TLS connection: its certificate
 * must be issued by this cloud's CA, be valid, name role {@code controller}, and its id must be
 * the decimal node id ({@code canopy:controller:3} is node 3). The grid tunnel ({@code
 * dev.canopy.cloud.gridtunnel}) names its peers the same way.
 */
public final class PeerIds {

  private PeerIds() {}

  public static int verifiedNodeId(NetSocket socket, X509Certificate ca, InstantSource clock) throws PeerRefusedException {
    List<Certificate> presented;
    try {
      presented = socket.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      presented = List.of();
    }
    if (presented == null || presented.isEmpty()) {
      throw new PeerRefusedException("no certificate was presented");
    }
    // The handshake's trust manager checked this already; checked again so that identity never
    // rests on how the TLS layer happened to be configured.
    PeerIdentity identity = PeerCertificates.verify(
        presented.toArray(X509Certificate[]::new), ca, clock.instant(), Set.of(PeerRole.CONTROLLER));
    return nodeIdOf(identity.id());
  }

  /** Only the canonical decimal form, so that one node id has exactly one certificate name. */
  static int nodeIdOf(String certificateId) throws PeerRefusedException {
    try {
      int id = Integer.parseInt(certificateId);
      if (id >= 0 && id <= 255 && Integer.toString(id).equals(certificateId)) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through to the refusal
    }
    throw new PeerRefusedException("controller certificate id '" + certificateId + "' is not a lease node id (0..255)");
  }
}
