package dev.canopy.cloud.ca;

import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** A key with its CA-issued certificate and the CA certificate, ready for a TLS endpoint. */
public record TlsCredentials(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

  /** Presents the chain leaf, CA: agents pin the CA by its fingerprint before they trust it. */
  public KeyManagerFactory keyManagers() {
    return PeerCertificates.keyManagers(key, certificate, ca);
  }

  /**
   * A TLS client context that presents these credentials and trusts only a server certificate of
   * {@code trusted} roles issued by the same CA (host names are not checked: peers are known by role).
   *
   * @param where names the connection in refusal log lines, e.g. "controller → storage"
   */
  public SSLContext clientContext(Set<PeerRole> trusted, String where, InstantSource clock) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager trust = PeerCertificates.trustManager(ca, clock, trusted, where);
      context.init(keyManagers().getKeyManagers(), new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TlsCredentials[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
