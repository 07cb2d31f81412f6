package dev.canopy.cloud.directory;

import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TestCertificates;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.storeclient.StoragePeers;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** A real cloud CA (in an in-memory table) and the certificates of each role, for directory tests. */
final class DirectoryPki {

  private static final Duration VALIDITY = Duration.ofDays(1);

  private final SecureRandom random = new SecureRandom();
  private final CertificateAuthority ca;

  DirectoryPki(String cloudName) {
    ca = CertificateAuthority.loadOrCreate(new InMemoryTable<CaRecord>(), new SecretBox(MasterKey.generate(random), random), cloudName,
        SystemTime.INSTANCE, random);
  }

  TlsCredentials controller(String id) {
    return ca.controllerCredentials(id, List.of("127.0.0.1"), VALIDITY);
  }

  TlsCredentials storage(String id) {
    return StoragePeers.storageCredentials(ca, id, VALIDITY, random);
  }

  TlsCredentials node(String id) throws Exception {
    KeyPair pair = TestCertificates.keyPair();
    return new TlsCredentials(pair.getPrivate(), ca.issue(TestCertificates.csr(pair), PeerRole.NODE, id, VALIDITY), ca.certificate());
  }

  /** A client context presenting {@code own} and trusting a controller server, as a storage node's does. */
  static SSLContext presenting(TlsCredentials own) {
    return own.clientContext(Set.of(PeerRole.CONTROLLER), "test client", SystemTime.INSTANCE);
  }

  /**
   * A client context presenting {@code keys} (none when null), whatever their issuer, and trusting
   * a controller server of {@code ca}: to see what the server makes of a certificate it should refuse.
   */
  static SSLContext presenting(KeyManagerFactory keys, X509Certificate ca) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(),
        new TrustManager[] {PeerCertificates.trustManager(ca, SystemTime.INSTANCE, Set.of(PeerRole.CONTROLLER), "test client")}, null);
    return context;
  }
}
