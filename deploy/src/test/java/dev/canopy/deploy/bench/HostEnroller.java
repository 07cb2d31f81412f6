package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.EnrollRequest;
import dev.canopy.node.protocol.EnrollmentToken;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Enrolls simulated hosts the way {@code canopy node --token} does: a one-time token from the admin
 * API ({@code POST /admin/v1/tokens}, what {@code canopy token create} calls), then {@code POST
 * /v1/enroll} with a CSR on the agent port; the answer's CA must be the one the token names, and the
 * certificate must name the node. One P-256 key serves every simulated host (a real host makes its
 * own; the controller's work per enrollment is the same).
 */
final class HostEnroller {

  record Enrolled(String nodeId, KeyCertOptions key, TrustOptions trust) {}

  private final AdminTokens tokens;
  private final HttpClient http;
  private final KeyPair key;
  private final String csrPem;

  HostEnroller(Vertx vertx, Path clusterDir, URI console) throws Exception {
    this.tokens = new AdminTokens(clusterDir, console);
    // The CA is checked against the token's fingerprint below, as the agent's pinning trust manager does.
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setConnectTimeout(10_000), new PoolOptions().setHttp1MaxSize(64));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    this.key = generator.generateKeyPair();
    this.csrPem = PeerCertificates.pem("CERTIFICATE REQUEST", new JcaPKCS10CertificationRequestBuilder(
        new X500Principal("CN=canopy-node"), key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
        .getEncoded());
  }

  void close() {
    http.close();
  }

  /**
   * Blocking; a failed attempt (a connection the loaded controller closed, a timeout) is retried
   * with a new token, as an operator would, up to five times.
   */
  Enrolled enroll(String agentUrl, String hostname) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return enrollOnce(agentUrl, hostname);
      } catch (Exception e) {
        if (attempt == 5) {
          throw e;
        }
        retries.incrementAndGet();
        Thread.sleep(1000L * attempt);
      }
    }
  }

  /** Attempts that failed and were made again. */
  long retries() {
    return retries.get();
  }

  private final java.util.concurrent.atomic.AtomicLong retries = new java.util.concurrent.atomic.AtomicLong();

  /** A token, then the enrollment at {@code agentUrl}. */
  private Enrolled enrollOnce(String agentUrl, String hostname) throws Exception {
    String tokenText = tokens.create(Duration.ofHours(1));
    EnrollmentToken token = EnrollmentToken.parse(tokenText).orElseThrow(() -> new IllegalStateException("not a token: " + tokenText));
    String body = AgentJson.MAPPER.writeValueAsString(new EnrollRequest(token.format(), csrPem, hostname,
        new HostCapacity(64, 262_144, 2_000), "canopy-1a"));
    String reply = http.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(agentUrl + AgentMessages.ENROLL_PATH)
            .putHeader("content-type", "application/json"))
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("enrollment refused: " + response.statusCode() + " " + b);
          }
          return b.toString();
        }))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    JsonNode answer = AgentJson.MAPPER.readTree(reply);
    X509Certificate ca = PeerCertificates.parseCertificates(answer.path("caPem").asText()).get(0);
    if (!PeerCertificates.sha256Hex(ca).equals(token.caSha256())) {
      throw new IllegalStateException("the controller answered with a CA other than the token's");
    }
    X509Certificate certificate = PeerCertificates.parseCertificates(answer.path("certificatePem").asText()).get(0);
    String nodeId = answer.path("nodeId").asText();
    if (!PeerCertificates.identityOf(certificate).id().equals(nodeId)) {
      throw new IllegalStateException("the certificate does not name node " + nodeId);
    }
    return new Enrolled(nodeId, KeyCertOptions.wrap(new NodeKeys(key.getPrivate(), certificate)),
        TrustOptions.wrap(PeerCertificates.trustManager(ca, SystemTime.INSTANCE, Set.of(PeerRole.CONTROLLER), "simulated agent → controller")));
  }
}
