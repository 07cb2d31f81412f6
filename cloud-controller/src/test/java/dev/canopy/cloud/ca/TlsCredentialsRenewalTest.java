package dev.canopy.cloud.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.protocol.CertificateLifetime;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A controller's or storage process's own credentials renew in place at two thirds of their
 * lifetime (an injected clock moved across it): a running TLS listener built before the renewal
 * presents the new certificate from its next handshake, with no restart and no rebuilt server.
 */
class TlsCredentialsRenewalTest {

  private final SecureRandom random = new SecureRandom();
  /**
   * Starts 250 days back, so that moved past the renewal point (day 243 of 365) it is still before
   * the real now: the client below checks both certificates against the real clock.
   */
  private final MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofDays(250)));
  private final CertificateAuthority ca = CertificateAuthority.loadOrCreate(new InMemoryTable<CaRecord>(),
      new SecretBox(MasterKey.generate(random), random), "test", clock, random);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aListenerBuiltBeforeTheRenewalPresentsTheRenewedCertificateFromItsNextHandshake() throws Exception {
    TlsCredentials credentials = ca.controllerCredentials("1", List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY);
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(KeyCertOptions.wrap(credentials.keyManagers())))
        .requestHandler(request -> request.response().end("ok"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    X509Certificate first = credentials.certificate();
    assertThat(presented(server.actualPort())).isEqualTo(first);

    clock.set(CertificateLifetime.renewAt(first).minusSeconds(1));
    assertThat(credentials.renewIfDue(clock.instant())).as("not due before two thirds of a year").isFalse();
    clock.set(CertificateLifetime.renewAt(first).plusSeconds(1));
    assertThat(credentials.renewIfDue(clock.instant())).isTrue();

    X509Certificate renewed = credentials.certificate();
    assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    assertThat(renewed.getPublicKey()).as("a new key").isNotEqualTo(first.getPublicKey());
    assertThat(List.copyOf(renewed.getSubjectAlternativeNames())).as("the same identity")
        .isEqualTo(List.copyOf(first.getSubjectAlternativeNames()));
    assertThat(renewed.getNotAfter().toInstant()).isAfter(first.getNotAfter().toInstant().plus(Duration.ofDays(200)));
    assertThat(presented(server.actualPort())).as("the same listener, the next handshake").isEqualTo(renewed);
    assertThat(credentials.renewIfDue(clock.instant())).as("not due again").isFalse();
  }

  @Test
  void credentialsMadeFromAFixedPairAreNeverRenewed() throws Exception {
    TlsCredentials made = ca.controllerCredentials("2", List.of(), CertificateAuthority.SERVER_VALIDITY);
    TlsCredentials fixed = new TlsCredentials(made.key(), made.certificate(), made.ca());
    clock.set(made.certificate().getNotAfter().toInstant().minusSeconds(60));
    assertThat(fixed.renewIfDue(clock.instant())).isFalse();
    assertThat(fixed.certificate()).isEqualTo(made.certificate());
  }

  /** The certificate a fresh client (no session to resume) is shown at {@code port}. */
  private X509Certificate presented(int port) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(context).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("ok");
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }
}
