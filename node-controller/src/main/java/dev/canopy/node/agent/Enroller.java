package dev.canopy.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.time.Futures;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.EnrollRequest;
import dev.canopy.node.protocol.EnrollResponse;
import dev.canopy.node.protocol.EnrollmentToken;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment, once per node: a new EC P-256 key made here (it never leaves the node), a CSR,
 * and {@code POST /v1/enroll} to the first controller that answers — over TLS that trusts only
 * a controller whose chain holds the CA named by the token's fingerprint.
 */
final class Enroller {

  private static final Logger LOG = LoggerFactory.getLogger(Enroller.class);
  private static final int TIMEOUT_MS = 30_000;
  /** Connecting plus one idle period: beyond that the controller is not answering. */
  private static final java.time.Duration CALL_TIMEOUT = java.time.Duration.ofMillis(2L * TIMEOUT_MS);

  private final Vertx vertx;
  private final InstantSource clock;
  private final ObjectMapper json = AgentJson.MAPPER;

  Enroller(Vertx vertx, InstantSource clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Blocking: call off the event loop. */
  AgentCredentials enroll(List<String> controllers, String tokenText, String hostname, String zone, HostCapacity capacity)
      throws EnrollmentException, InterruptedException {
    EnrollmentToken token = EnrollmentToken.parse(tokenText)
        .orElseThrow(() -> new EnrollmentException("the enrollment token is not a canopy1 token"));
    KeyPair pair = newKeyPair();
    String csr = csrPem(pair);
    String body;
    try {
      body = json.writeValueAsString(new EnrollRequest(token.format(), csr, hostname, capacity, zone));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an enrollment request is a plain record", e);
    }
    List<String> failures = new ArrayList<>();
    for (String controller : controllers) {
      PinnedCaTrustManager trust = new PinnedCaTrustManager(token.caSha256(), clock);
      HttpClient client = vertx.createHttpClient(
          new HttpClientOptions().setSsl(true).setVerifyHost(false).setTrustOptions(TrustOptions.wrap(trust)).setConnectTimeout(TIMEOUT_MS));
      try {
        Future<Reply> call = client
            .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(controller + AgentMessages.ENROLL_PATH)
                .putHeader("content-type", "application/json").setIdleTimeout(TIMEOUT_MS))
            .compose(request -> request.send(Buffer.buffer(body)))
            .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())));
        Reply reply;
        try {
          // Connect and idle timeouts bound the call already; this bound is the backstop.
          reply = Futures.await(call.toCompletionStage(), CALL_TIMEOUT, "enrollment with " + controller);
        } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
          Throwable cause = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
          String reason = trust.pinnedCa().isEmpty() && isTlsFailure(cause)
              ? "not trusted (its CA is not the one the token names)"
              : "unreachable: " + cause;
          LOG.warn("enrollment with {}: {}", controller, reason);
          failures.add(controller + ": " + reason);
          continue;
        }
        if (reply.status() != 200) {
          JsonNode error = readTree(reply.body());
          throw new EnrollmentException("the controller at " + controller + " refused enrollment: "
              + error.path("code").asText("HTTP " + reply.status()) + ": " + error.path("message").asText(reply.body()));
        }
        return credentials(reply.body(), pair, trust.pinnedCa().orElseThrow(), controllers);
      } finally {
        client.close();
      }
    }
    throw new EnrollmentException("no controller enrolled this node: " + String.join("; ", failures));
  }

  private AgentCredentials credentials(String body, KeyPair pair, X509Certificate pinnedCa, List<String> asked) throws EnrollmentException {
    try {
      EnrollResponse response = json.readValue(body, EnrollResponse.class);
      X509Certificate ca = PeerCertificates.parseCertificates(response.caPem()).get(0);
      if (!PeerCertificates.sha256Hex(ca).equals(PeerCertificates.sha256Hex(pinnedCa))) {
        throw new EnrollmentException("the controller returned a CA other than the one it presented");
      }
      X509Certificate certificate = PeerCertificates.parseCertificates(response.certificatePem()).get(0);
      PeerIdentity identity = PeerCertificates.verify(new X509Certificate[] {certificate}, ca, clock.instant(), Set.of(PeerRole.NODE));
      if (!identity.id().equals(response.nodeId()) || !certificate.getPublicKey().equals(pair.getPublic())) {
        throw new EnrollmentException("the issued certificate does not name this node's id and key");
      }
      List<String> controllers = response.controllers() == null || response.controllers().isEmpty() ? asked : response.controllers();
      return new AgentCredentials(response.nodeId(), pair.getPrivate(), certificate, ca, controllers);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new EnrollmentException("the controller's enrollment answer is unusable: " + e.getMessage());
    }
  }

  private JsonNode readTree(String body) {
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      return json.createObjectNode();
    }
  }

  private static boolean isTlsFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof PeerRefusedException) {
        return true;
      }
    }
    return false;
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is part of every JDK", e);
    }
  }

  static String csrPem(KeyPair pair) {
    try {
      // The subject is a placeholder: the CA names the node itself.
      PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=canopy-node"), pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      return PeerCertificates.pem("CERTIFICATE REQUEST", request.getEncoded());
    } catch (OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("signing a CSR with a fresh EC key cannot fail", e);
    }
  }

  private record Reply(int status, String body) {}
}
