package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TestCertificates;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/** Test fixture: a real cloud CA (in an in-memory table) and the certificates the lease and grid tunnel tests present. */
public final class LeaseTestPki {

  static final Duration VALIDITY = Duration.ofDays(1);

  private final SecureRandom random = new SecureRandom();
  private final CertificateAuthority ca = CertificateAuthority.loadOrCreate(new InMemoryTable<CaRecord>(),
      new SecretBox(MasterKey.generate(random), random), "lease-test", InstantSource.system(), random);

  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** What a controller's lease port presents: SAN canopy:controller:<id>. */
  public TlsCredentials controller(int id) {
    return ca.controllerCredentials(Integer.toString(id), List.of("127.0.0.1"), VALIDITY);
  }

  /** A certificate of role node, issued by the same CA. */
  public KeyManagerFactory nodeKeys(String nodeId) throws Exception {
    KeyPair pair = TestCertificates.keyPair();
    X509Certificate node = ca.issue(TestCertificates.csr(pair), PeerRole.NODE, nodeId, VALIDITY);
    return PeerCertificates.keyManagers(pair.getPrivate(), node, ca.certificate());
  }

  /** A self-signed certificate that names a controller, as an impostor would make. */
  public KeyManagerFactory selfSignedControllerKeys(int id) throws Exception {
    KeyPair pair = TestCertificates.keyPair();
    X509Certificate forged = TestCertificates.selfSigned(pair, PeerRole.CONTROLLER, Integer.toString(id));
    return PeerCertificates.keyManagers(pair.getPrivate(), forged);
  }

  public KeyManagerFactory controllerKeys(int id) {
    return controller(id).keyManagers();
  }
}
