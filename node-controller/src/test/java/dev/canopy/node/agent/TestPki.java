package dev.canopy.node.agent;

import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A cloud CA of its own for agent tests (node-controller cannot use the controller's): EC P-256,
 * certificates naming {@code canopy:<role>:<id>} as the real CA issues them.
 */
final class TestPki {

  private static final AtomicLong SERIALS = new AtomicLong(1);

  final KeyPair key;
  final X509Certificate certificate;

  private TestPki(KeyPair key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  static TestPki newCa(String name) throws Exception {
    KeyPair key = Enroller.newKeyPair();
    X500Principal subject = new X500Principal("CN=" + name);
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, key.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestPki(key, sign(builder, key));
  }

  /** A certificate this CA issues to {@code subjectKey}, naming {@code role} and {@code id}. */
  X509Certificate issue(PublicKey subjectKey, PeerRole role, String id) throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(certificate, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
        new X500Principal("CN=" + role.wireName() + " " + id), subjectKey)
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, role.sanUri(id))));
    return sign(builder, key);
  }

  String fingerprint() {
    return PeerCertificates.sha256Hex(certificate);
  }

  /** An enrollment token naming this CA, as an operator copies it. */
  String token() {
    return "canopy1.0123456789abcdef0123456789abcdef.s3cretS3cretS3cret_-." + fingerprint();
  }

  /** The public key a PEM CSR asks to be certified. */
  static PublicKey keyOfCsr(String csrPem) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
      return new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject()).getPublicKey();
    }
  }

  private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, KeyPair key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }
}
