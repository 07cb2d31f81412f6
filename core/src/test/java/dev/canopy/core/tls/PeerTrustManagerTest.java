package dev.canopy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one peer check of every Canopy mutual-TLS port, on certificates made by keytool: a leaf of
 * the cloud's CA naming an accepted role passes; another CA, a self-signed one, an expired or not
 * yet valid one, another role and a certificate without a Canopy name are refused, each reported
 * once with its reason.
 */
class PeerTrustManagerTest {

  private static final Set<String> CONTROLLERS = Set.of("controller");

  @TempDir static Path dir;
  @TempDir static Path foreignDir;

  private static KeytoolPki pki;
  private static KeytoolPki.Issued controller;
  private static KeytoolPki.Issued storage;
  private static KeytoolPki.Issued unnamed;
  private static KeytoolPki.Issued foreign;

  private final List<String> refusals = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    pki = new KeytoolPki(dir);
    controller = pki.issue("controller", "3");
    storage = pki.issue("storage", "st-1");
    unnamed = pki.issueWithoutName("x");
    foreign = new KeytoolPki(foreignDir, "Other Cloud CA").issue("controller", "3");
  }

  private PeerTrustManager trust(InstantSource clock) {
    return new PeerTrustManager(pki.ca, clock, CONTROLLERS, "lease port", refusals::add);
  }

  private PeerTrustManager trustNow() {
    return trust(InstantSource.system());
  }

  private static X509Certificate[] chain(KeytoolPki.Issued issued) {
    return new X509Certificate[] {issued.certificate(), issued.ca()};
  }

  @Test
  void aValidLeafOfTheCloudsCaNamingAnAcceptedRolePasses() throws Exception {
    trustNow().checkClientTrusted(chain(controller), "EC");
    trustNow().checkServerTrusted(chain(controller), "EC");
    assertThat(PeerCheck.verify(chain(controller), pki.ca, Instant.now(), CONTROLLERS)).isEqualTo(new PeerName("controller", "3"));
    assertThat(refusals).isEmpty();
  }

  @Test
  void aSignatureVerifiedOnceIsNotVerifiedAgainWhileDatesAndRolesStillAre() throws Exception {
    PeerCheck.verify(chain(controller), pki.ca, Instant.now(), CONTROLLERS);
    long checks = PeerCheck.signatureChecks();
    PeerCheck.verify(chain(controller), pki.ca, Instant.now(), CONTROLLERS);
    trustNow().checkClientTrusted(chain(controller), "EC");
    assertThat(PeerCheck.signatureChecks()).as("the same certificate again").isEqualTo(checks);

    Instant notAfter = controller.certificate().getNotAfter().toInstant();
    assertThatThrownBy(() -> PeerCheck.verify(chain(controller), pki.ca, notAfter.plusSeconds(1), CONTROLLERS))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("expired");
    assertThatThrownBy(() -> PeerCheck.verify(chain(controller), pki.ca, Instant.now(), Set.of("node")))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("names role 'controller'");

    // Refusals are not remembered: another CA's certificate is verified (and refused) every time.
    for (int attempt = 0; attempt < 2; attempt++) {
      long before = PeerCheck.signatureChecks();
      assertThatThrownBy(() -> PeerCheck.verify(chain(foreign), pki.ca, Instant.now(), CONTROLLERS))
          .isInstanceOf(PeerRefusedException.class).hasMessageContaining("a CA other than this cloud's");
      assertThat(PeerCheck.signatureChecks()).isGreaterThan(before);
    }
  }

  @Test
  void aFullSetOfVerifiedSignaturesStartsOver() throws Exception {
    PeerCheck.VerifiedSignatures verified = new PeerCheck.VerifiedSignatures(2);
    String a = verified.digest(controller.certificate(), pki.ca);
    String b = verified.digest(storage.certificate(), pki.ca);
    String c = verified.digest(unnamed.certificate(), pki.ca);
    assertThat(a).isNotEqualTo(b).isNotEqualTo(verified.digest(controller.certificate(), foreign.ca()));
    verified.add(a);
    verified.add(b);
    verified.add(c);
    assertThat(verified.contains(c)).isTrue();
    assertThat(verified.contains(a)).isFalse();
  }

  @Test
  void anotherRoleOfTheSameCaIsRefused() {
    assertThatThrownBy(() -> trustNow().checkClientTrusted(chain(storage), "EC"))
        .isInstanceOf(PeerRefusedException.class)
        .hasMessage("certificate of canopy:storage:st-1 names role 'storage'; this port accepts only [controller]");
    assertThat(refusals).containsExactly(
        "lease port: refused the TLS client: certificate of canopy:storage:st-1 names role 'storage'; this port accepts only [controller]");
  }

  @Test
  void aCertificateOfAnotherCaIsRefusedEvenWhenItSendsItsCaAlong() {
    assertThatThrownBy(() -> trustNow().checkServerTrusted(chain(foreign), "EC"))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("'CN=Other Cloud CA', a CA other than this cloud's");
    assertThat(refusals).singleElement().asString().startsWith("lease port: refused the TLS server: ");
  }

  @Test
  void aSelfSignedLookAlikeIsRefused() throws Exception {
    KeytoolPki.Issued rogue = pki.selfSigned("controller", "3");
    assertThatThrownBy(() -> trustNow().checkClientTrusted(new X509Certificate[] {rogue.certificate()}, "EC"))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("is self-signed");
  }

  @Test
  void anExpiredOrNotYetValidCertificateIsRefusedByTheInjectedClock() {
    Instant notAfter = controller.certificate().getNotAfter().toInstant();
    Instant notBefore = controller.certificate().getNotBefore().toInstant();
    assertThatThrownBy(() -> trust(InstantSource.fixed(notAfter.plusSeconds(1))).checkClientTrusted(chain(controller), "EC"))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("expired at " + notAfter);
    assertThatThrownBy(() -> trust(InstantSource.fixed(notBefore.minusSeconds(1))).checkClientTrusted(chain(controller), "EC"))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("is not valid before " + notBefore);
    assertThat(refusals).hasSize(2);
  }

  @Test
  void aCertificateWithoutACanopyNameOrNoCertificateAtAllIsRefused() {
    assertThatThrownBy(() -> trustNow().checkClientTrusted(chain(unnamed), "EC"))
        .isInstanceOf(PeerRefusedException.class).hasMessageContaining("must name exactly one canopy:<role>:<id>, it names 0");
    assertThatThrownBy(() -> trustNow().checkClientTrusted(new X509Certificate[0], "EC"))
        .isInstanceOf(PeerRefusedException.class).hasMessage("no certificate was presented");
    assertThat(refusals).hasSize(2);
  }

  @Test
  void inARealHandshakeTheServerAdmitsTheAcceptedRoleAndRefusesAnother() throws Exception {
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(storage.keys().getKeyManagers(), new TrustManager[] {trustNow()}, null);
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      assertThat(handshake(listener, controller)).as("a controller gets in").isNull();
      assertThat(handshake(listener, storage)).as("a storage peer does not").isInstanceOf(IOException.class);
    }
    assertThat(refusals).singleElement().asString().contains("names role 'storage'");
  }

  /** The server side's handshake failure, or null when both sides completed it. */
  private Throwable handshake(SSLServerSocket listener, KeytoolPki.Issued client) throws Exception {
    CompletableFuture<Throwable> served = CompletableFuture.supplyAsync(() -> {
      try (SSLSocket socket = (SSLSocket) listener.accept()) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        socket.getOutputStream().write(1);
        socket.getOutputStream().flush();
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    try (SSLSocket socket = (SSLSocket) pki.clientContext(client.keys(), "storage").getSocketFactory()
        .createSocket(listener.getInetAddress(), listener.getLocalPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      socket.getInputStream().read(); // TLS 1.3 reports a refused client certificate on the first read
    } catch (IOException expectedWhenRefused) {
      // the server's side says why
    }
    return served.get(20, TimeUnit.SECONDS);
  }
}
