package dev.canopy.node.protocol;

import dev.canopy.core.tls.PeerCheck;
import dev.canopy.core.tls.PeerName;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.core.tls.PeerTrustManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate checks and PEM helpers shared by the controller and the agent (plain JDK, no
 * Vert.x): the one peer check ({@link PeerCheck}, in core) with this protocol's {@link PeerRole}s,
 * its trust manager, and PEM encoding.
 */
public final class PeerCertificates {

  private static final Logger REFUSALS = LoggerFactory.getLogger(PeerTrustManager.class);
  private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private PeerCertificates() {}

  /**
   * {@link PeerCheck#verify} with this protocol's roles.
   *
   * @param chain as presented by the peer, leaf first (the CA may follow)
   * @throws PeerRefusedException with a sentence saying why
   */
  public static PeerIdentity verify(X509Certificate[] chain, X509Certificate ca, Instant now, Set<PeerRole> accepted)
      throws PeerRefusedException {
    return identity(PeerCheck.verify(chain, ca, now, PeerRole.wireNames(accepted)));
  }

  /** The one {@code canopy:<role>:<id>} SAN URI of a certificate. */
  public static PeerIdentity identityOf(X509Certificate certificate) throws PeerRefusedException {
    return identity(PeerCheck.nameOf(certificate));
  }

  /**
   * The trust manager for a port or client that accepts peers of {@code accepted}; refusals are
   * logged as warnings under {@link PeerTrustManager}'s name.
   *
   * @param where names the endpoint in log lines, e.g. "agent port" or "agent → controller"
   */
  public static PeerTrustManager trustManager(X509Certificate ca, InstantSource clock, Set<PeerRole> accepted, String where) {
    return new PeerTrustManager(ca, clock, PeerRole.wireNames(accepted), where, REFUSALS::warn);
  }

  private static PeerIdentity identity(PeerName name) throws PeerRefusedException {
    PeerRole role = PeerRole.fromWireName(name.role())
        .orElseThrow(() -> new PeerRefusedException("certificate names an unknown role in " + name.sanUri()));
    return new PeerIdentity(role, name.id());
  }

  /** Lowercase hex SHA-256 of the certificate's DER encoding: the CA fingerprint in tokens. */
  public static String sha256Hex(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("SHA-256 and DER encoding are part of every JDK", e);
    }
  }

  public static String toPem(X509Certificate... certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        out.append(pem("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a parsed certificate always encodes", e);
      }
    }
    return out.toString();
  }

  public static String privateKeyToPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + PEM_BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** Every certificate in a PEM text, in order. */
  public static List<X509Certificate> parseCertificates(String pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate certificate : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) certificate);
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate in the PEM text");
    }
    return out;
  }

  /** An EC private key from PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public static PrivateKey parseEcPrivateKey(String pem) throws GeneralSecurityException {
    String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("the private key PEM is not base64", e);
    }
  }

  /** A key manager presenting {@code key} with its chain (leaf first), for a TLS server or client. */
  public static KeyManagerFactory keyManagers(PrivateKey key, X509Certificate... chain) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      // The store lives only in memory; the password protects nothing and is required by the API.
      char[] password = "canopy".toCharArray();
      store.setKeyEntry("canopy", key, password, chain);
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("an in-memory PKCS12 store of a valid key and chain cannot fail", e);
    }
  }
}
