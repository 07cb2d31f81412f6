package dev.canopy.node.agent;

import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust before enrollment: the agent knows only the CA's SHA-256 from its token. The controller
 * presents its chain (leaf, CA); the agent accepts it only when the chain holds a certificate
 * with exactly that fingerprint and the leaf is a valid {@code controller} certificate issued
 * by it. The handshake fails otherwise, so the token never leaves the node for an impostor.
 */
final class PinnedCaTrustManager extends X509ExtendedTrustManager {

  private static final Logger LOG = LoggerFactory.getLogger(PinnedCaTrustManager.class);

  private final String caSha256;
  private final InstantSource clock;
  private final AtomicReference<X509Certificate> pinned = new AtomicReference<>();

  PinnedCaTrustManager(String caSha256, InstantSource clock) {
    this.caSha256 = caSha256;
    this.clock = clock;
  }

  /** The CA whose fingerprint matched, once a handshake succeeded. */
  Optional<X509Certificate> pinnedCa() {
    return Optional.ofNullable(pinned.get());
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    try {
      X509Certificate ca = null;
      for (X509Certificate candidate : chain) {
        if (PeerCertificates.sha256Hex(candidate).equals(caSha256)) {
          ca = candidate;
        }
      }
      if (ca == null) {
        throw new PeerRefusedException(
            "the controller's certificate chain holds no CA with the SHA-256 in the token (" + caSha256 + "): not this cloud's controller");
      }
      PeerCertificates.verify(chain, ca, clock.instant(), Set.of(PeerRole.CONTROLLER));
      pinned.set(ca);
    } catch (PeerRefusedException e) {
      LOG.warn("enrollment: refused the controller: {}", e.getMessage());
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the agent is never a TLS server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("the agent is never a TLS server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("the agent is never a TLS server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
