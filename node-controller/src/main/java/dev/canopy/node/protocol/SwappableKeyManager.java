package dev.canopy.node.protocol;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose key and certificate can be replaced while clients and servers built on it
 * keep running: every TLS handshake asks the current one, so a renewed certificate is presented
 * from the next connection on, with no restart and no rebuilt client. Connections already open
 * keep the certificate they were made with (it is still valid: renewal happens well before expiry).
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {

  private volatile X509ExtendedKeyManager current;

  public SwappableKeyManager(PrivateKey key, X509Certificate... chain) {
    this.current = of(key, chain);
  }

  /** From the next handshake on, present {@code key} with {@code chain}. */
  public void swap(PrivateKey key, X509Certificate... chain) {
    current = of(key, chain);
  }

  private static X509ExtendedKeyManager of(PrivateKey key, X509Certificate... chain) {
    KeyManagerFactory factory = PeerCertificates.keyManagers(key, chain);
    for (KeyManager manager : factory.getKeyManagers()) {
      if (manager instanceof X509ExtendedKeyManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JDK's key manager factory made no X.509 key manager");
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return current.getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return current.chooseEngineClientAlias(keyType, issuers, engine);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.getPrivateKey(alias);
  }

  @Override
  public String toString() {
    return "SwappableKeyManager[" + Objects.toString(current) + "]";
  }
}
