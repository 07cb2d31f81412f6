package dev.canopy.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.protocol.PeerRole;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's trust before it has credentials: only the CA fingerprint from the token. Every
 * refusal here is a controller that must never see the enrollment secret.
 */
class PinnedCaTrustManagerTest {

  private TestPki cloud;
  private X509Certificate controllerLeaf;

  @BeforeEach
  void pki() throws Exception {
    cloud = TestPki.newCa("the cloud's CA");
    KeyPair key = Enroller.newKeyPair();
    controllerLeaf = cloud.issue(key.getPublic(), PeerRole.CONTROLLER, "c-1");
  }

  private PinnedCaTrustManager pinnedTo(String fingerprint, Instant now) {
    return new PinnedCaTrustManager(fingerprint, InstantSource.fixed(now));
  }

  @Test
  void theCloudsControllerIsTrustedAndItsCaIsPinnedOnlyThen() throws Exception {
    PinnedCaTrustManager trust = pinnedTo(cloud.fingerprint(), Instant.now());
    assertThat(trust.pinnedCa()).as("nothing pinned before a handshake").isEmpty();

    trust.checkServerTrusted(new X509Certificate[] {controllerLeaf, cloud.certificate}, "ECDHE_ECDSA");

    assertThat(trust.pinnedCa()).contains(cloud.certificate);
  }

  @Test
  void aControllerThatSendsItsLeafWithoutTheCaIsRefused() {
    PinnedCaTrustManager trust = pinnedTo(cloud.fingerprint(), Instant.now());

    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {controllerLeaf}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining(cloud.fingerprint());
    assertThat(trust.pinnedCa()).isEmpty();
  }

  @Test
  void anImpostorThatShowsThePublicCaBesideItsOwnLeafIsRefused() throws Exception {
    // The cloud's CA certificate is no secret: anyone can put it in a chain. Its key is.
    TestPki impostor = TestPki.newCa("an impostor's CA");
    KeyPair key = Enroller.newKeyPair();
    X509Certificate forged = impostor.issue(key.getPublic(), PeerRole.CONTROLLER, "c-1");
    PinnedCaTrustManager trust = pinnedTo(cloud.fingerprint(), Instant.now());

    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {forged, cloud.certificate}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {forged, impostor.certificate, cloud.certificate},
        "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
    assertThat(trust.pinnedCa()).as("a refused chain pins nothing").isEmpty();
  }

  @Test
  void anotherCloudsControllerIsRefusedNamingTheTokensFingerprint() throws Exception {
    TestPki other = TestPki.newCa("another cloud's CA");
    KeyPair key = Enroller.newKeyPair();
    X509Certificate otherController = other.issue(key.getPublic(), PeerRole.CONTROLLER, "c-9");
    PinnedCaTrustManager trust = pinnedTo(cloud.fingerprint(), Instant.now());

    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {otherController, other.certificate}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not this cloud's controller")
        .hasMessageContaining(cloud.fingerprint());
  }

  @Test
  void aControllerCertificatePastItsValidityIsRefusedByTheInjectedClock() {
    // TestPki issues leaves for a day; the CA lives thirty.
    PinnedCaTrustManager later = pinnedTo(cloud.fingerprint(), Instant.now().plus(Duration.ofDays(2)));

    assertThatThrownBy(() -> later.checkServerTrusted(new X509Certificate[] {controllerLeaf, cloud.certificate}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThat(later.pinnedCa()).isEmpty();
  }

  @Test
  void aNodeCertificateOfTheRightCaIsNotAController() throws Exception {
    KeyPair key = Enroller.newKeyPair();
    X509Certificate node = cloud.issue(key.getPublic(), PeerRole.NODE, "nd-00000001");
    PinnedCaTrustManager trust = pinnedTo(cloud.fingerprint(), Instant.now());

    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {node, cloud.certificate}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void theAgentNeverTrustsAClientSinceItIsNeverAServer() {
    PinnedCaTrustManager trust = pinnedTo(cloud.fingerprint(), Instant.now());

    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {controllerLeaf, cloud.certificate}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("never a TLS server");
    assertThat(trust.getAcceptedIssuers()).isEmpty();
  }
}
