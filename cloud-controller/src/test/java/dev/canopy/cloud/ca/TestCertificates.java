package dev.canopy.cloud.ca;

import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, CSRs and rogue certificates for CA and transport tests. */
public final class TestCertificates {

  private TestCertificates() {}

  public static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  public static String csr(KeyPair pair) throws Exception {
    var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=test"), pair.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    return PeerCertificates.pem("CERTIFICATE REQUEST", request.getEncoded());
  }

  /** A self-signed certificate that otherwise looks like a node's (SAN canopy:node:id). */
  public static X509Certificate selfSigned(KeyPair pair, PeerRole role, String id) throws Exception {
    X500Principal name = new X500Principal("CN=" + role.wireName() + " " + id);
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic())
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, role.sanUri(id))));
    return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }
}
