package dev.canopy.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.CertificateLifetime;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node's certificate over its mutual-TLS session before it expires: once two thirds
 * of its lifetime have passed ({@link CertificateLifetime}) the agent makes a new key, sends its
 * CSR ({@code renew}) on the session open longest, checks the answer ({@code renewed}: signed by
 * the pinned CA, naming this node and the new key), stores the pair crash-safely and presents it
 * from the next connection on. No restart; a failure is logged with the expiry and retried at the
 * next check. At most one renewal is in flight. Runs on the agent's event loop; key generation
 * and file writes go to a worker.
 */
final class CertificateRenewer {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewer.class);
  /** How long a controller may take to answer a {@code renew}. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final InstantSource clock;
  private final Path dataDir;
  private final Supplier<AgentCredentials> current;
  private final Consumer<AgentCredentials> adopt;
  private volatile Promise<Boolean> inFlight;
  private volatile Promise<String> answer;

  /**
   * @param current the credentials in use
   * @param adopt switches the agent to renewed credentials (already stored); called on the event loop
   */
  CertificateRenewer(Vertx vertx, InstantSource clock, Path dataDir, Supplier<AgentCredentials> current,
      Consumer<AgentCredentials> adopt) {
    this.vertx = vertx;
    this.clock = clock;
    this.dataDir = dataDir;
    this.current = current;
    this.adopt = adopt;
  }

  /**
   * Renews when due, sending with {@code sendOnSession} (a {@code renew} message's text; fails when
   * no session is open). Completes with true once renewed, false when not due yet; fails when due
   * and not renewed (already logged).
   */
  Future<Boolean> renewIfDue(Function<String, Future<Void>> sendOnSession) {
    AgentCredentials credentials = current.get();
    if (credentials == null || !CertificateLifetime.renewalDue(credentials.certificate(), clock.instant())) {
      return Future.succeededFuture(false);
    }
    if (inFlight != null) {
      return inFlight.future();
    }
    Promise<Boolean> renewal = Promise.promise();
    inFlight = renewal;
    vertx.executeBlocking(() -> {
      KeyPair pair = Enroller.newKeyPair();
      return new Object[] {pair, Enroller.csrPem(pair)};
    }, false).compose(made -> {
      KeyPair pair = (KeyPair) made[0];
      answer = Promise.promise();
      Future<String> answered = answer.future();
      long timer = vertx.setTimer(ANSWER_TIMEOUT.toMillis(), t -> failAnswer("no controller answered within " + ANSWER_TIMEOUT.toSeconds() + " s"));
      String message = AgentJson.envelope(AgentMessages.RENEW).put("csrPem", (String) made[1]).toString();
      return sendOnSession.apply(message)
          .compose(sent -> answered)
          .eventually(() -> {
            vertx.cancelTimer(timer);
            answer = null;
            return Future.succeededFuture();
          })
          .map(pem -> checked(credentials, pair, pem))
          .compose(renewed -> vertx.executeBlocking(() -> {
            renewed.saveRenewed(dataDir);
            return renewed;
          }, false));
    }).onComplete(done -> {
      inFlight = null;
      if (done.succeeded()) {
        AgentCredentials renewed = done.result();
        adopt.accept(renewed);
        LOG.info("node {}: renewed its certificate; the new one is valid until {} (the old one expired at {})", renewed.nodeId(),
            renewed.certificate().getNotAfter().toInstant(), credentials.certificate().getNotAfter().toInstant());
        renewal.complete(true);
      } else {
        Duration left = CertificateLifetime.remaining(credentials.certificate(), clock.instant());
        LOG.warn("node {}: its certificate expires at {} (in {} h) and was not renewed: {}; trying again later",
            credentials.nodeId(), credentials.certificate().getNotAfter().toInstant(), left.toHours(), done.cause().getMessage());
        renewal.fail(done.cause());
      }
    });
    return renewal.future();
  }

  /** A {@code renewed} message from a controller; ignored unless a renewal waits for it. */
  void answered(JsonNode message) {
    Promise<String> waiting = answer;
    if (waiting == null) {
      LOG.debug("a controller answered a renewal nobody waits for (late, or repeated)");
      return;
    }
    String pem = message.path("certificatePem").asText("");
    if (pem.isEmpty()) {
      waiting.tryFail(new IllegalStateException("the controller refused: " + message.path("code").asText("?") + " "
          + message.path("message").asText("")));
    } else {
      waiting.tryComplete(pem);
    }
  }

  private void failAnswer(String why) {
    Promise<String> waiting = answer;
    if (waiting != null) {
      waiting.tryFail(new IllegalStateException(why));
    }
  }

  /** The new credentials, if the certificate is the pinned CA's, valid now, for this node and the new key. */
  private AgentCredentials checked(AgentCredentials old, KeyPair pair, String pem) {
    try {
      X509Certificate certificate = PeerCertificates.parseCertificates(pem).get(0);
      PeerIdentity identity = PeerCertificates.verify(new X509Certificate[] {certificate}, old.ca(), clock.instant(), Set.of(PeerRole.NODE));
      if (!identity.id().equals(old.nodeId()) || !certificate.getPublicKey().equals(pair.getPublic())) {
        throw new IllegalStateException("the renewed certificate does not name this node's id and new key");
      }
      return old.renewed(pair.getPrivate(), certificate);
    } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
      throw new IllegalStateException("the renewed certificate is unusable: " + e.getMessage(), e);
    }
  }
}
