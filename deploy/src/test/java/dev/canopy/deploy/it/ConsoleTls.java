package dev.canopy.deploy.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS context that trusts the cloud's CA ({@code DIR/ca.pem}) and nothing else, as an operator's client would. */
public final class ConsoleTls {

  private ConsoleTls() {}

  public static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trusted.setCertificateEntry("canopy-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * The subject alternative names of the certificate whoever answers TLS at {@code host:port}
   * shows, verified against the cloud's CA (but not against {@code host}: a load balancer passing
   * TLS through has an address the certificate does not name).
   */
  static java.util.List<String> peerCertificateNames(Path caPem, String host, int port) throws Exception {
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trusting(caPem).getSocketFactory().createSocket(host, port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      var leaf = (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
      java.util.List<String> names = new java.util.ArrayList<>();
      if (leaf.getSubjectAlternativeNames() != null) {
        leaf.getSubjectAlternativeNames().forEach(entry -> names.add(String.valueOf(entry.get(1))));
      }
      return names;
    }
  }
}
