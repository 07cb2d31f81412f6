package dev.canopy.cloud.ca;

import dev.canopy.node.protocol.PeerCertificates;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;

/** A key with its CA-issued certificate and the CA certificate, ready for a TLS endpoint. */
public record TlsCredentials(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

  /** Presents the chain leaf, CA: agents pin the CA by its fingerprint before they trust it. */
  public KeyManagerFactory keyManagers() {
    return PeerCertificates.keyManagers(key, certificate, ca);
  }

  @Override
  public String toString() {
    return "TlsCredentials[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
