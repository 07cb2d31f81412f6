package dev.canopy.cloud.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.crypto.SecretBoxException;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private final SecureRandom random = new SecureRandom();
  private final SecretBox secrets = new SecretBox(MasterKey.generate(random), random);
  private final InMemoryTable<CaRecord> table = new InMemoryTable<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final CertificateAuthority ca = CertificateAuthority.loadOrCreate(table, secrets, "test", clock, random);

  @Test
  void createsACaCertificateOnceAndLoadsItAfterwards() throws Exception {
    X509Certificate root = ca.certificate();
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(3649));
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.caSha256()).matches("[0-9a-f]{64}").isEqualTo(PeerCertificates.sha256Hex(root));
    assertThat(table.get("root").orElseThrow().sealedPrivateKey()).doesNotContain("PRIVATE");

    CertificateAuthority reloaded = CertificateAuthority.loadOrCreate(table, secrets, "test", clock, random);
    assertThat(reloaded.caSha256()).isEqualTo(ca.caSha256());
    // The reloaded key signs certificates the original CA certificate verifies.
    X509Certificate issued = reloaded.issue(TestCertificates.csr(TestCertificates.keyPair()), PeerRole.NODE, "nd-1", Duration.ofDays(90));
    issued.verify(root.getPublicKey());
  }

  @Test
  void aForeignMasterKeyCannotOpenTheCaKey() {
    SecretBox foreign = new SecretBox(MasterKey.generate(random), random);
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(table, foreign, "test", clock, random)).isInstanceOf(SecretBoxException.class);
  }

  @Test
  void issuesANodeCertificateNamingRoleAndId() throws Exception {
    KeyPair pair = TestCertificates.keyPair();
    X509Certificate node = ca.issue(TestCertificates.csr(pair), PeerRole.NODE, "nd-0123", CertificateAuthority.NODE_VALIDITY);

    assertThat(node.getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(PeerCertificates.identityOf(node)).isEqualTo(new PeerIdentity(PeerRole.NODE, "nd-0123"));
    assertThat(node.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(node.getBasicConstraints()).isEqualTo(-1);
    assertThat(node.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
    assertThat(ca.verifyPeer(new X509Certificate[] {node}, Set.of(PeerRole.NODE))).isEqualTo(new PeerIdentity(PeerRole.NODE, "nd-0123"));
  }

  @Test
  void controllerCredentialsCarryTheAddressesAndBothUsages() throws Exception {
    TlsCredentials server = ca.controllerCredentials("c1", List.of("127.0.0.1", "controller.example"), CertificateAuthority.SERVER_VALIDITY);
    assertThat(PeerCertificates.identityOf(server.certificate())).isEqualTo(new PeerIdentity(PeerRole.CONTROLLER, "c1"));
    assertThat(server.certificate().getSubjectAlternativeNames())
        .contains(List.of(7, "127.0.0.1"), List.of(2, "controller.example"), List.of(6, "canopy:controller:c1"));
    assertThat(server.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(server.keyManagers().getKeyManagers()).isNotEmpty();
  }

  @Test
  void refusesAnExpiredCertificateByTheInjectedClock() throws Exception {
    X509Certificate node = ca.issue(TestCertificates.csr(TestCertificates.keyPair()), PeerRole.NODE, "nd-1", Duration.ofDays(90));
    clock.advance(Duration.ofDays(91));
    assertThatThrownBy(() -> ca.verifyPeer(new X509Certificate[] {node}, Set.of(PeerRole.NODE)))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("expired");
  }

  @Test
  void refusesAnotherRole() throws Exception {
    X509Certificate storage = ca.issue(TestCertificates.csr(TestCertificates.keyPair()), PeerRole.STORAGE, "s1", Duration.ofDays(90));
    assertThatThrownBy(() -> ca.verifyPeer(new X509Certificate[] {storage}, Set.of(PeerRole.NODE)))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("role 'storage'");
  }

  @Test
  void refusesAForeignCaAndSelfSignedCertificates() throws Exception {
    CertificateAuthority foreign = CertificateAuthority.loadOrCreate(new InMemoryTable<>(), secrets, "other", clock, random);
    X509Certificate fromForeign = foreign.issue(TestCertificates.csr(TestCertificates.keyPair()), PeerRole.NODE, "nd-1", Duration.ofDays(90));
    assertThatThrownBy(() -> ca.verifyPeer(new X509Certificate[] {fromForeign, foreign.certificate()}, Set.of(PeerRole.NODE)))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("a CA other than this cloud's");

    X509Certificate selfSigned = TestCertificates.selfSigned(TestCertificates.keyPair(), PeerRole.NODE, "nd-1");
    assertThatThrownBy(() -> ca.verifyPeer(new X509Certificate[] {selfSigned}, Set.of(PeerRole.NODE)))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("self-signed");
  }

  @Test
  void refusesAnUnsignedOrForgedRequest() throws Exception {
    assertThatThrownBy(() -> ca.issue("junk", PeerRole.NODE, "nd-1", Duration.ofDays(1))).isInstanceOf(CertificateAuthority.CsrException.class);
    String csr = TestCertificates.csr(TestCertificates.keyPair());
    // Flip one byte in the middle of the base64 body: the signature no longer verifies.
    int middle = csr.length() / 2;
    char flipped = csr.charAt(middle) == 'A' ? 'B' : 'A';
    String forged = csr.substring(0, middle) + flipped + csr.substring(middle + 1);
    assertThatThrownBy(() -> ca.issue(forged, PeerRole.NODE, "nd-1", Duration.ofDays(1))).isInstanceOf(CertificateAuthority.CsrException.class);
  }
}
