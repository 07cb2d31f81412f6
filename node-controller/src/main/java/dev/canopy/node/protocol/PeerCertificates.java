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
import javax.crypto.spec.PBEParameterSpec;
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
  /** How {@link #keyManagers}' store wraps its key: the JDK's default PKCS12 algorithm, at one iteration. */
  private static final String IN_MEMORY_KEY_WRAP = "PBEWithHmacSHA256AndAES_256";
  /** The store never leaves memory, so its salt need not be secret or new. */
  private static final byte[] IN_MEMORY_SALT = new byte[16];

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

  /**
   * A key manager presenting {@code key} with its chain (leaf first), for a TLS server or client.
   * The key passes through an in-memory PKCS12 store, which the JDK's factory needs; its password
   * protects nothing, so the key is wrapped with one PBE iteration instead of the default 10,000:
   * wrapping and unwrapping at that count cost about 40 ms of a cold JVM's CPU per call, and a
   * process calls this for every endpoint it serves (docs/benchmarks.md, start-up).
   */
  public static KeyManagerFactory keyManagers(PrivateKey key, X509Certificate... chain) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "canopy".toCharArray();
      store.setEntry("canopy", new KeyStore.PrivateKeyEntry(key, chain),
          new KeyStore.PasswordProtection(password, IN_MEMORY_KEY_WRAP, new PBEParameterSpec(IN_MEMORY_SALT, 1)));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("an in-memory PKCS12 store of a valid key and chain cannot fail", e);
    }
  }
}
