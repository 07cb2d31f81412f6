package dev.canopy.cloud.ca;

import dev.canopy.node.protocol.CertificateLifetime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import dev.canopy.node.protocol.SwappableKeyManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A key with its CA-issued certificate and the CA certificate, ready for TLS endpoints and
 * clients. Credentials the CA made for a role of this process ({@code controllerCredentials},
 * {@code storageCredentials}) can be renewed in place ({@link #renewIfDue}): every listener and
 * client built from {@link #keyManagers} presents the new certificate from its next handshake on,
 * without a restart. Credentials made from a fixed pair (tests) are never renewed.
 */
public final class TlsCredentials {

  /** A key and its certificate. */
  public record Pair(PrivateKey key, X509Certificate certificate) {}

  private final X509Certificate ca;
  private final Supplier<Pair> reissue;
  private final SwappableKeyManager keys;
  private volatile Pair current;

  public TlsCredentials(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    this(key, certificate, ca, null);
  }

  /** @param reissue makes a new key and certificate for the same identity; null: never renewed */
  public TlsCredentials(PrivateKey key, X509Certificate certificate, X509Certificate ca, Supplier<Pair> reissue) {
    this.ca = ca;
    this.reissue = reissue;
    this.current = new Pair(key, certificate);
    this.keys = new SwappableKeyManager(key, certificate, ca);
  }

  public PrivateKey key() {
    return current.key();
  }

  /** The certificate presented now. */
  public X509Certificate certificate() {
    return current.certificate();
  }

  public X509Certificate ca() {
    return ca;
  }

  /**
   * Replaces the key and certificate once two thirds of the certificate's lifetime have passed
   * ({@link CertificateLifetime}); may block (key generation, signing).
   *
   * @return true when renewed
   */
  public boolean renewIfDue(Instant now) {
    if (reissue == null || !CertificateLifetime.renewalDue(certificate(), now)) {
      return false;
    }
    Pair next = reissue.get();
    keys.swap(next.key(), next.certificate(), ca);
    current = next;
    return true;
  }

  /**
   * Presents the chain leaf, CA (agents pin the CA by its fingerprint before they trust it), the
   * current one at every handshake: a factory over this credential's one swappable key manager.
   */
  public KeyManagerFactory keyManagers() {
    return new CurrentKeyManagerFactory(keys);
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
      context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TlsCredentials[" + certificate().getSubjectX500Principal().getName() + "]";
  }

  /** A key manager factory that hands out one existing key manager (Vert.x and the JDK take factories). */
  private static final class CurrentKeyManagerFactory extends KeyManagerFactory {
    CurrentKeyManagerFactory(SwappableKeyManager keys) {
      super(new KeyManagerFactorySpi() {
        @Override
        protected void engineInit(KeyStore store, char[] password) {}

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {}

        @Override
        protected KeyManager[] engineGetKeyManagers() {
          return new KeyManager[] {keys};
        }
      }, DEFAULT.getProvider(), DEFAULT.getAlgorithm());
    }
  }

  /** The JDK's own factory, whose provider and algorithm the wrapper reports (some TLS stacks ask). */
  private static final KeyManagerFactory DEFAULT = defaultFactory();

  private static KeyManagerFactory defaultFactory() {
    try {
      return KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has a default key manager factory", e);
    }
  }
}
