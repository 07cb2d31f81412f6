package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import dev.canopy.storage.internal.InternalKvServer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Canopy's certificate roles for the internal KV endpoint: the storage process presents a
 * {@code storage} certificate and admits only {@code controller} clients of the cloud's CA; a
 * controller presents its {@code controller} certificate and trusts only a {@code storage}
 * server of that CA.
 */
public final class StoragePeers {

  private StoragePeers() {}

  /**
   * A new key and a {@code canopy:storage:<id>} certificate for a storage process, issued
   * through the CA's certificate-request path (no host names: peers are checked by role, not by
   * address).
   */
  public static TlsCredentials storageCredentials(CertificateAuthority ca, String storageId, Duration validity, SecureRandom random) {
    TlsCredentials.Pair first = storagePair(ca, storageId, validity, random);
    // Renewal (TlsCredentials.renewIfDue) issues the same identity again, with a new key.
    return new TlsCredentials(first.key(), first.certificate(), ca.certificate(), () -> storagePair(ca, storageId, validity, random));
  }

  private static TlsCredentials.Pair storagePair(CertificateAuthority ca, String storageId, Duration validity, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = generator.generateKeyPair();
      var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=storage " + storageId), pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      String csr = PeerCertificates.pem("CERTIFICATE REQUEST", request.getEncoded());
      X509Certificate issued = ca.issue(csr, PeerRole.STORAGE, storageId, validity);
      return new TlsCredentials.Pair(pair.getPrivate(), issued);
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("a P-256 key and its certificate request cannot fail with the JDK's providers", e);
    }
  }

  /** What the storage process passes to {@link InternalKvServer}. */
  public static InternalKvServer.Tls serverTls(TlsCredentials storage, InstantSource clock) {
    return new InternalKvServer.Tls(storage.keyManagers(), storage.ca(), PeerRole.wireNames(Set.of(PeerRole.CONTROLLER)), clock);
  }

  /** A controller's client context: presents {@code controller}, trusts only a storage server of its CA. */
  public static SSLContext clientContext(TlsCredentials controller, InstantSource clock) {
    return controller.clientContext(Set.of(PeerRole.STORAGE), "controller → storage", clock);
  }
}
