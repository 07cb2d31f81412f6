package dev.canopy.core.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of every Canopy mutual-TLS port and client: trusts exactly the peers {@link
 * PeerCheck#verify} accepts (issued by this cloud's CA, valid now by the injected clock, naming
 * an accepted role). Every refusal is reported once, as a sentence naming the endpoint, before
 * the handshake fails. Host names are not checked: a Canopy peer is identified by the role and
 * id in its certificate, not by the address it was dialled on.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {

  private final X509Certificate ca;
  private final InstantSource clock;
  private final Set<String> acceptedRoles;
  private final String where;
  private final Consumer<String> refusals;

  /**
   * @param acceptedRoles role names, e.g. {@code controller}
   * @param where names the endpoint in refusals, e.g. "agent port" or "agent → controller"
   * @param refusals receives one sentence per refused peer (this module does not log: the caller's logger does)
   */
  public PeerTrustManager(X509Certificate ca, InstantSource clock, Set<String> acceptedRoles, String where, Consumer<String> refusals) {
    if (acceptedRoles.isEmpty()) {
      throw new IllegalArgumentException("a trust manager that accepts no role would refuse every peer");
    }
    this.ca = ca;
    this.clock = clock;
    this.acceptedRoles = Set.copyOf(acceptedRoles);
    this.where = where;
    this.refusals = refusals;
  }

  private void check(X509Certificate[] chain, String peerKind) throws CertificateException {
    try {
      PeerCheck.verify(chain, ca, clock.instant(), acceptedRoles);
    } catch (PeerRefusedException e) {
      refusals.accept(where + ": refused the TLS " + peerKind + ": " + e.getMessage());
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
   * whatever it has (another cloud's, a self-signed one), so the refusal carries its real reason
   * instead of arriving as a missing certificate. Trust is decided by {@link #check} alone.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
