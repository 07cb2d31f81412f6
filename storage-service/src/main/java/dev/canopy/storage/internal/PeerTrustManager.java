package dev.canopy.storage.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Date;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a peer whose leaf certificate is signed by the one pinned CA, valid now (by the
 * injected clock), and accepted by the caller's check (the role, which only the caller knows how
 * to read). Every refusal is one WARN line before the handshake fails. Host names are not
 * checked: peers are identified by their certificates, not by the address they were dialled on.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

  private static final Logger LOG = LoggerFactory.getLogger(PeerTrustManager.class);

  private final X509Certificate ca;
  private final InstantSource clock;
  private final Predicate<X509Certificate[]> peerAllowed;
  private final String accepts;
  private final String where;

  PeerTrustManager(X509Certificate ca, InstantSource clock, Predicate<X509Certificate[]> peerAllowed, String accepts, String where) {
    this.ca = ca;
    this.clock = clock;
    this.peerAllowed = peerAllowed;
    this.accepts = accepts;
    this.where = where;
  }

  private void check(X509Certificate[] chain, String peerKind) throws CertificateException {
    String refusal = refusal(chain);
    if (refusal != null) {
      LOG.warn("{}: refused the TLS {}: {}", where, peerKind, refusal);
      throw new CertificateException(refusal);
    }
  }

  private String refusal(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return "no certificate was presented";
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName();
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return "certificate '" + subject + "' was not issued by this cloud's CA";
    }
    try {
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (CertificateException e) {
      return "certificate '" + subject + "' is not valid now (" + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")";
    }
    if (!peerAllowed.test(chain.clone())) {
      return "certificate '" + subject + "' is not one of " + accepts;
    }
    return null;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, "server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain, "server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain, "server");
  }

  /**
   * Empty on purpose (as in the agent port's trust manager): a client then presents whatever
   * certificate it has, and a wrong one is refused with its real reason in the log rather than
   * arriving as "no certificate".
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
