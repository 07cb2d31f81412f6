package dev.canopy.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerIdentity;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A controller's agent port as far as an agent can tell: TLS with a certificate chain of the
 * test CA, {@code POST /v1/enroll} answered by a function the test sets, and the agent's
 * WebSocket session with messages queued for the test to read. Counts every request, so a test
 * can show the token was never sent.
 */
final class FakeController implements AutoCloseable {

  /** What {@code POST /v1/enroll} answers. */
  record Reply(int status, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  final AtomicInteger enrollRequests = new AtomicInteger();
  final BlockingQueue<JsonNode> fromAgent = new LinkedBlockingQueue<>();
  volatile Function<JsonNode, Reply> enroll = body -> new Reply(500, "{}");
  private volatile ServerWebSocket session;
  volatile PeerIdentity sessionPeer;

  private FakeController(HttpServer server) {
    this.server = server;
  }

  /** Presents {@code leaf} (with {@code ca} after it) and trusts node certificates of {@code ca}. */
  static FakeController start(Vertx vertx, TestPki ca, KeyPair key, X509Certificate leaf) {
    return start(vertx, ca, key, leaf, 0);
  }

  /** As {@link #start(Vertx, TestPki, KeyPair, X509Certificate)}, on {@code port} (0: any free one). */
  static FakeController start(Vertx vertx, TestPki ca, KeyPair key, X509Certificate leaf, int port) {
    HttpServerOptions options = new HttpServerOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(PeerCertificates.keyManagers(key.getPrivate(), leaf, ca.certificate)))
        .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(ca.certificate, Clock.systemUTC(), Set.of(PeerRole.NODE),
            "fake controller")))
        .setClientAuth(ClientAuth.REQUEST);
    HttpServer http = vertx.createHttpServer(options);
    FakeController controller = new FakeController(http);
    http.requestHandler(controller::route);
    http.listen(port, "127.0.0.1").await();
    return controller;
  }

  /** A controller with a proper certificate of {@code ca}. */
  static FakeController start(Vertx vertx, TestPki ca) throws Exception {
    KeyPair key = Enroller.newKeyPair();
    return start(vertx, ca, key, ca.issue(key.getPublic(), PeerRole.CONTROLLER, "c-1"));
  }

  String url() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  private void route(HttpServerRequest request) {
    if (request.path().equals(AgentMessages.ENROLL_PATH)) {
      enrollRequests.incrementAndGet();
      request.body().onSuccess(body -> {
        Reply reply;
        try {
          reply = enroll.apply(JSON.readTree(body.toString()));
        } catch (Exception e) {
          reply = new Reply(500, "{\"code\":\"TestBug\",\"message\":\"" + e + "\"}");
        }
        request.response().setStatusCode(reply.status()).putHeader("content-type", "application/json").end(reply.body());
      });
      return;
    }
    if (request.path().equals(AgentMessages.SESSION_PATH)) {
      try {
        sessionPeer = PeerCertificates.identityOf((X509Certificate) request.connection().peerCertificates().get(0));
      } catch (Exception e) {
        request.response().setStatusCode(403).end();
        return;
      }
      request.toWebSocket().onSuccess(ws -> {
        session = ws;
        ws.textMessageHandler(text -> {
          try {
            fromAgent.add(JSON.readTree(text));
          } catch (Exception e) {
            throw new IllegalStateException("the agent sent something that is not JSON: " + text, e);
          }
        });
      });
      return;
    }
    request.response().setStatusCode(404).end();
  }

  /** The next message of {@code type} the agent sends, skipping others; fails after 10 s. */
  JsonNode next(String type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode message = fromAgent.poll(100, TimeUnit.MILLISECONDS);
      if (message != null && message.path("type").asText().equals(type)) {
        return message;
      }
    }
    throw new AssertionError("the agent sent no " + type + " within 10 s");
  }

  /** Sends a text frame to the agent on its session. */
  void send(String text) {
    ServerWebSocket ws = session;
    if (ws == null) {
      throw new IllegalStateException("no agent session");
    }
    ws.writeTextMessage(text);
  }

  /** Ends the agent's session from the controller's side, as a restarting controller would. */
  void dropSession() {
    ServerWebSocket ws = session;
    if (ws == null) {
      throw new IllegalStateException("no agent session");
    }
    ws.close().await();
  }

  boolean hasSession() {
    return session != null && !session.isClosed();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
