package dev.canopy.node.protocol;

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
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;

/**
 * Certificate checks and PEM helpers shared by the controller and the agent (plain JDK, no
 * Vert.x): a peer is accepted when its leaf certificate is signed by the cloud's CA, is valid
 * now, and names exactly one Canopy identity of an accepted role. Chains are one level deep:
 * the CA issues every certificate directly.
 */
public final class PeerCertificates {

  private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private PeerCertificates() {}

  /**
   * @param chain as presented by the peer, leaf first (the CA may follow)
   * @throws PeerRefusedException with a sentence saying why
   */
  public static PeerIdentity verify(X509Certificate[] chain, X509Certificate ca, Instant now, Set<PeerRole> accepted)
      throws PeerRefusedException {
    if (chain == null || chain.length == 0) {
      throw new PeerRefusedException("no certificate was presented");
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName();
    if (!signedBy(leaf, ca)) {
      if (leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) && signedBy(leaf, leaf)) {
        throw new PeerRefusedException("certificate '" + subject + "' is self-signed, not issued by this cloud's CA");
      }
      throw new PeerRefusedException(
          "certificate '" + subject + "' was issued by '" + leaf.getIssuerX500Principal().getName()
              + "', a CA other than this cloud's");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new PeerRefusedException("certificate '" + subject + "' expired at " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new PeerRefusedException("certificate '" + subject + "' is not valid before " + leaf.getNotBefore().toInstant());
    }
    PeerIdentity identity = identityOf(leaf);
    if (!accepted.contains(identity.role())) {
      throw new PeerRefusedException(
          "certificate of " + identity + " names role '" + identity.role().wireName() + "'; this port accepts only " + names(accepted));
    }
    return identity;
  }

  /** The one {@code canopy:<role>:<id>} SAN URI of a certificate. */
  public static PeerIdentity identityOf(X509Certificate certificate) throws PeerRefusedException {
    List<PeerIdentity> found = new ArrayList<>();
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new PeerRefusedException("certificate has an unreadable subject alternative name: " + e.getMessage());
    }
    if (names != null) {
      for (List<?> name : names) {
        // 6 = uniformResourceIdentifier (RFC 5280)
        if (Integer.valueOf(6).equals(name.get(0)) && name.get(1) instanceof String uri) {
          String[] parts = uri.split(":", 3);
          if (parts.length == 3 && parts[0].equals(PeerRole.URI_SCHEME) && !parts[2].isEmpty()) {
            PeerRole role = PeerRole.fromWireName(parts[1])
                .orElseThrow(() -> new PeerRefusedException("certificate names an unknown role in " + uri));
            found.add(new PeerIdentity(role, parts[2]));
          }
        }
      }
    }
    if (found.size() != 1) {
      throw new PeerRefusedException(
          "certificate '" + certificate.getSubjectX500Principal().getName() + "' must name exactly one canopy:<role>:<id>, it names "
              + found.size());
    }
    return found.get(0);
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

  private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String names(Set<PeerRole> roles) {
    return roles.stream().map(PeerRole::wireName).sorted().toList().toString();
  }
}
