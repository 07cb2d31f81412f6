package dev.canopy.cloud.ca;

import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Table;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The cloud's internal CA. At a cloud's first start {@link #loadOrCreate} makes an EC P-256
 * key and a self-signed CA certificate (10 years, CA:true, keyCertSign) and stores both in the
 * grid, the key sealed with the master key; every later start loads them. Issued certificates
 * name exactly one identity as the SAN URI {@code canopy:<role>:<id>}.
 *
 * <p>Time comes from the injected clock, so expiry is testable and simulations repeatable.
 */
public final class CertificateAuthority {

  public static final String MAP_NAME = "ca";
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration NODE_VALIDITY = Duration.ofDays(90);
  public static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  /** Issued certificates start a little in the past so a peer's slightly slow clock accepts them. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final String RECORD_KEY = "root";
  private static final String SEAL_PURPOSE = "ca-private-key";
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final InstantSource clock;
  private final SecureRandom random;
  private final String fingerprint;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key, InstantSource clock, SecureRandom random) {
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
    this.random = random;
    this.fingerprint = PeerCertificates.sha256Hex(certificate);
  }

  /**
   * The stored CA, or a new one stored atomically (when two controllers race at first start, the
   * loser loads the winner's).
   *
   * @param cloudName goes into the CA's subject, so operators can tell clouds apart
   * @throws dev.canopy.cloud.crypto.SecretBoxException when the stored key was sealed with another master key
   */
  public static CertificateAuthority loadOrCreate(
      Table<CaRecord> table, SecretBox secrets, String cloudName, InstantSource clock, SecureRandom random) {
    var existing = table.get(RECORD_KEY);
    if (existing.isEmpty()) {
      CaRecord created = create(secrets, cloudName, clock, random);
      table.putIfAbsent(RECORD_KEY, created);
      existing = table.get(RECORD_KEY);
    }
    return fromRecord(existing.orElseThrow(() -> new IllegalStateException("the CA record vanished right after it was stored")),
        secrets, clock, random);
  }

  /** The stored CA record of this cloud, for processes that need the CA before the grid runs. */
  public static java.util.Optional<CaRecord> storedRecord(Table<CaRecord> table) {
    return table.get(RECORD_KEY);
  }

  /**
   * The CA of {@code record} (from {@code canopy init}'s identity bundle, or the grid).
   *
   * @throws dev.canopy.cloud.crypto.SecretBoxException when the key was sealed with another master key
   */
  public static CertificateAuthority fromRecord(CaRecord record, SecretBox secrets, InstantSource clock, SecureRandom random) {
    try {
      X509Certificate certificate = PeerCertificates.parseCertificates(record.certificatePem()).get(0);
      byte[] der = Base64.getDecoder().decode(secrets.open(record.sealedPrivateKey(), SEAL_PURPOSE));
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      return new CertificateAuthority(certificate, key, clock, random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored CA is unreadable", e);
    }
  }

  private static CaRecord create(SecretBox secrets, String cloudName, InstantSource clock, SecureRandom random) {
    KeyPair pair = newKeyPair(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Canopy").addRDN(BCStyle.CN, "Canopy CA " + cloudName).build();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(subject, serial(random), Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate certificate = sign(builder, pair.getPrivate());
      String sealed = secrets.seal(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), SEAL_PURPOSE);
      return new CaRecord(PeerCertificates.toPem(certificate), sealed, now);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("making an EC CA certificate with the JDK's providers cannot fail", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return PeerCertificates.toPem(certificate);
  }

  /** Lowercase hex SHA-256 of the CA certificate's DER: what enrollment tokens embed. */
  public String caSha256() {
    return fingerprint;
  }

  /**
   * Issues a certificate for the key in a PKCS#10 request. The request's subject is ignored: the
   * CA names the identity itself.
   *
   * @throws CsrException when the request is not PEM, or its signature does not verify
   */
  public X509Certificate issue(String csrPem, PeerRole role, String id, Duration validity) {
    PublicKey publicKey = verifiedKey(csrPem);
    return issue(publicKey, role, id, validity, List.of());
  }

  /**
   * A new key and certificate for a controller's TLS endpoint: SAN {@code canopy:controller:<id>}
   * plus the given host names and addresses; usable as server and as client (controllers dial
   * each other).
   */
  public TlsCredentials controllerCredentials(String controllerId, List<String> hosts, Duration validity) {
    TlsCredentials.Pair first = controllerPair(controllerId, hosts, validity);
    // Renewal (TlsCredentials.renewIfDue) issues the same identity again, with a new key.
    return new TlsCredentials(first.key(), first.certificate(), certificate, () -> controllerPair(controllerId, hosts, validity));
  }

  private TlsCredentials.Pair controllerPair(String controllerId, List<String> hosts, Duration validity) {
    KeyPair pair = newKeyPair(random);
    return new TlsCredentials.Pair(pair.getPrivate(), issue(pair.getPublic(), PeerRole.CONTROLLER, controllerId, validity, hosts));
  }

  /**
   * Verifies a peer's chain (leaf first) at the CA's clock.
   *
   * @throws PeerRefusedException saying why: foreign or self-signed, expired, wrong role
   */
  public PeerIdentity verifyPeer(X509Certificate[] chain, Set<PeerRole> accepted) throws PeerRefusedException {
    return PeerCertificates.verify(chain, certificate, clock.instant(), accepted);
  }

  private X509Certificate issue(PublicKey publicKey, PeerRole role, String id, Duration validity, List<String> hosts) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a certificate id: " + id);
    }
    if (validity.isNegative() || validity.isZero() || validity.compareTo(CA_VALIDITY) > 0) {
      throw new IllegalArgumentException("a certificate's validity must be positive and within the CA's");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant();
    }
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Canopy").addRDN(BCStyle.CN, role.wireName() + " " + id).build();
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, role.sanUri(id)));
    for (String host : hosts) {
      names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
    }
    KeyPurposeId[] purposes = switch (role) {
      case NODE -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
      case CONTROLLER, STORAGE -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
    };
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate, serial(random), Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
      return sign(builder, key);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("signing with the CA's EC key cannot fail", e);
    }
  }

  private static PublicKey verifiedKey(String csrPem) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(csrPem == null ? "" : csrPem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new CsrException("the certificate request is not valid PEM");
    }
    if (!(parsed instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest request)) {
      throw new CsrException("the PEM text is not a certificate request (BEGIN CERTIFICATE REQUEST)");
    }
    try {
      // Only EC keys: the JDK's key factory is named by algorithm, not by the request's OID.
      PublicKey publicKey;
      try {
        publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(request.getSubjectPublicKeyInfo().getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new CsrException("the certificate request must carry an EC public key");
      }
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
        throw new CsrException("the certificate request's signature does not verify");
      }
      return publicKey;
    } catch (OperatorCreationException | PKCSException | IOException | RuntimeException e) {
      if (e instanceof CsrException csr) {
        throw csr;
      }
      throw new CsrException("the certificate request cannot be verified: " + e.getMessage());
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signingKey)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is part of every JDK", e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    // 127 random bits: positive, unique in practice, within RFC 5280's 20 octets.
    return new BigInteger(127, random).setBit(0);
  }

  private static boolean isAddress(String host) {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        InetAddress.getByName(host);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  /** A certificate request that cannot be honoured; the message is safe to return to the caller. */
  public static final class CsrException extends RuntimeException {
    public CsrException(String message) {
      super(message, null, false, false);
    }
  }
}
