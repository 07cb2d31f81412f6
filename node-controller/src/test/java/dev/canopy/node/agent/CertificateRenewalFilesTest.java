package dev.canopy.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.files.DurableFiles;
import dev.canopy.node.protocol.CertificateLifetime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a node certificate is due (two thirds of its lifetime, from an injected instant), and that
 * a renewed key and certificate replace the old pair on disk without ever leaving a key beside a
 * certificate it does not match, wherever a crash interrupts the replacement.
 */
class CertificateRenewalFilesTest {

  @TempDir Path dir;

  @Test
  void aCertificateIsDueAtTwoThirdsOfItsLifetimeAndNotBefore() throws Exception {
    TestPki ca = TestPki.newCa("renewal-test");
    // TestPki issues for a day from an hour ago: 25 hours, due 16 h 40 min after its start.
    X509Certificate certificate = ca.issue(Enroller.newKeyPair().getPublic(), PeerRole.NODE, "nd-1");
    Instant start = certificate.getNotBefore().toInstant();
    Instant due = start.plus(Duration.ofHours(25).multipliedBy(2).dividedBy(3));

    assertThat(CertificateLifetime.renewAt(certificate)).isEqualTo(due);
    assertThat(CertificateLifetime.renewalDue(certificate, due.minusSeconds(1))).isFalse();
    assertThat(CertificateLifetime.renewalDue(certificate, due)).isTrue();
    assertThat(CertificateLifetime.remaining(certificate, due)).isEqualTo(Duration.ofHours(25).dividedBy(3));
  }

  @Test
  void aRenewedPairReplacesTheOldOneAndLeavesNoStagingBehind() throws Exception {
    TestPki ca = TestPki.newCa("renewal-test");
    AgentCredentials old = credentials(ca);
    old.save(dir);
    AgentCredentials renewed = renewedOf(old, ca);

    renewed.saveRenewed(dir);

    AgentCredentials loaded = AgentCredentials.load(dir).orElseThrow();
    assertThat(loaded.certificate()).isEqualTo(renewed.certificate());
    assertThat(loaded.key().getEncoded()).isEqualTo(renewed.key().getEncoded());
    assertThat(loaded.nodeId()).isEqualTo(old.nodeId());
    assertThat(dir.resolve(AgentCredentials.RENEWAL_DIR)).doesNotExist();
    assertThat(Files.getPosixFilePermissions(dir.resolve("node.key"))).isEqualTo(DurableFiles.OWNER_ONLY);
  }

  @Test
  void aCrashAfterTheRenewalWasCompleteIsFinishedAtTheNextLoad() throws Exception {
    TestPki ca = TestPki.newCa("renewal-test");
    AgentCredentials old = credentials(ca);
    old.save(dir);
    AgentCredentials renewed = renewedOf(old, ca);
    // The crash struck after the key was moved into place, before the certificate was.
    Path staging = Files.createDirectories(dir.resolve(AgentCredentials.RENEWAL_DIR));
    Files.writeString(staging.resolve("node.crt"), PeerCertificates.toPem(renewed.certificate()));
    Files.writeString(staging.resolve("complete"), "");
    Files.writeString(dir.resolve("node.key"), PeerCertificates.privateKeyToPem(renewed.key()));

    AgentCredentials loaded = AgentCredentials.load(dir).orElseThrow();

    assertThat(loaded.certificate()).isEqualTo(renewed.certificate());
    assertThat(loaded.key().getEncoded()).as("the key that matches the certificate").isEqualTo(renewed.key().getEncoded());
    assertThat(staging).doesNotExist();
  }

  @Test
  void aRenewalThatWasNeverCompleteIsDroppedAndTheOldPairStays() throws Exception {
    TestPki ca = TestPki.newCa("renewal-test");
    AgentCredentials old = credentials(ca);
    old.save(dir);
    AgentCredentials renewed = renewedOf(old, ca);
    // The crash struck while the new pair was still being written: no "complete" marker.
    Path staging = Files.createDirectories(dir.resolve(AgentCredentials.RENEWAL_DIR));
    Files.writeString(staging.resolve("node.key"), PeerCertificates.privateKeyToPem(renewed.key()));

    AgentCredentials loaded = AgentCredentials.load(dir).orElseThrow();

    assertThat(loaded.certificate()).isEqualTo(old.certificate());
    assertThat(loaded.key().getEncoded()).isEqualTo(old.key().getEncoded());
    assertThat(staging).doesNotExist();
  }

  private static AgentCredentials credentials(TestPki ca) throws Exception {
    KeyPair pair = Enroller.newKeyPair();
    return new AgentCredentials("nd-1", pair.getPrivate(), ca.issue(pair.getPublic(), PeerRole.NODE, "nd-1"), ca.certificate,
        List.of("https://127.0.0.1:8775"));
  }

  private static AgentCredentials renewedOf(AgentCredentials old, TestPki ca) throws Exception {
    KeyPair pair = Enroller.newKeyPair();
    return old.renewed(pair.getPrivate(), ca.issue(pair.getPublic(), PeerRole.NODE, old.nodeId()));
  }
}
