package dev.canopy.node.protocol;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly the peers {@link PeerCertificates#verify} accepts: issued by this cloud's CA,
 * valid now (by the injected clock), naming an accepted role. Every refusal is logged once,
 * with the reason, before the handshake fails. Host names are not checked: a Canopy peer is
 * identified by the role and id in its certificate, not by the address it was dialled on.
 */
public final class CanopyTrustManager extends X509ExtendedTrustManager {

  private static final Logger LOG = LoggerFactory.getLogger(CanopyTrustManager.class);

  private final X509Certificate ca;
  private final InstantSource clock;
  private final Set<PeerRole> accepted;
  private final String where;

  /**
   * @param where names the endpoint in log lines, e.g. "agent port" or "agent → controller"
   */
  public CanopyTrustManager(X509Certificate ca, InstantSource clock, Set<PeerRole> accepted, String where) {
    this.ca = ca;
    this.clock = clock;
    this.accepted = Set.copyOf(accepted);
    this.where = where;
  }

  private void check(X509Certificate[] chain, String peerKind) throws CertificateException {
    try {
      PeerCertificates.verify(chain, ca, clock.instant(), accepted);
    } catch (PeerRefusedException e) {
      LOG.warn("{}: refused the TLS {}: {}", where, peerKind, e.getMessage());
      throw e;
    }
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
   * Empty on purpose: a TLS server names these issuers in its certificate request, and a client
   * presents only a certificate from one of them. Naming none makes a misconfigured peer present
   * whatever it has (another cloud's, a self-signed one), so the refusal is logged with its real
   * reason instead of as a missing certificate. Trust is decided by {@link #check} alone.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
