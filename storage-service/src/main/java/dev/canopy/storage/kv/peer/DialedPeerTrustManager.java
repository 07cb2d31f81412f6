package dev.canopy.storage.kv.peer;

import dev.canopy.core.tls.PeerCheck;
import dev.canopy.core.tls.PeerName;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.core.tls.PeerTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side's trust in one dialed peer: core's check first (this cloud's CA, valid now,
 * role {@code storage}), then the id the certificate names must be the node that was dialed. A
 * storage node's certificate is valid for every storage port of the cloud, so without the second
 * check a node answering on another's address (a stale ring, a moved port, a compromised host)
 * would be taken for it and its answers counted as that node's votes.
 */
final class DialedPeerTrustManager extends X509ExtendedTrustManager {

  private final PeerTrustManager cloud;
  private final String dialedId;
  private final String where;
  private final Consumer<String> refusals;

  /**
   * @param dialedId the storage id the caller meant to reach
   * @param where names the connection in refusals, e.g. "storage peer → st-2"
   */
  DialedPeerTrustManager(PeerTls tls, String dialedId, String where, Consumer<String> refusals) {
    this.cloud = new PeerTrustManager(tls.ca(), tls.clock(), Set.of(PeerTls.STORAGE_ROLE), where, refusals);
    this.dialedId = dialedId;
    this.where = where;
    this.refusals = refusals;
  }

  private void checkDialed(X509Certificate[] chain) throws PeerRefusedException {
    // The core check passed, so the chain has a leaf naming exactly one identity.
    PeerName name = PeerCheck.nameOf(chain[0]);
    if (!name.id().equals(dialedId)) {
      String refusal = "the server presents the certificate of " + name + ", not of the dialed storage node " + dialedId;
      refusals.accept(where + ": refused the TLS server: " + refusal);
      throw new PeerRefusedException(refusal);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    cloud.checkServerTrusted(chain, authType);
    checkDialed(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    cloud.checkServerTrusted(chain, authType, socket);
    checkDialed(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    cloud.checkServerTrusted(chain, authType, engine);
    checkDialed(chain);
  }

  /** This trust manager only ever runs in a client; as a server's it would admit nobody. */
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new PeerRefusedException("a dialed peer's trust manager does not admit clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return cloud.getAcceptedIssuers();
  }
}
