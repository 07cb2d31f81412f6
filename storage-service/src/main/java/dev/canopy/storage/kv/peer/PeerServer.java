package dev.canopy.storage.kv.peer;

import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.core.tls.PeerCheck;
import dev.canopy.core.tls.PeerName;
import dev.canopy.core.tls.PeerRefusedException;
import dev.canopy.core.tls.PeerTrustManager;
import dev.canopy.storage.kv.PeerTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage node's peer port: {@code POST /v1/peer} over HTTPS (HTTP/1.1, keep-alive), client
 * certificate required. The handshake admits only certificates of this cloud's CA naming an
 * admitted role (core's {@link PeerTrustManager}); the caller's node id handed to the {@link
 * PeerTransport.Handler} is the id its certificate names, never anything the request says. The
 * handler runs on the caller's {@link Executor}, never on the event loop (the engine's handler
 * calls the backend, which blocks). Wire format and statuses: the package Javadoc.
 *
 * <p>Lifecycle: {@link #listen} once, then {@link #close}; a request arriving while closing gets 503.
 */
public final class PeerServer {

  public static final String PATH = "/v1/peer";
  public static final String CONTENT_TYPE = "application/octet-stream";

  private static final Logger LOG = LoggerFactory.getLogger(PeerServer.class);
  /** Refused handshakes log under the trust manager's name, as on every other Canopy port. */
  private static final Logger TLS_REFUSALS = LoggerFactory.getLogger(PeerTrustManager.class);

  private final Vertx vertx;
  private final PeerTls tls;
  private final Set<String> clientRoles;
  private final PeerTransport.Handler handler;
  private final Executor dispatch;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private volatile boolean closing;
  private HttpServer server;
  private ConnectionGuard guard;

  /**
   * @param clientRoles the certificate roles admitted as callers ({@code storage})
   * @param dispatch runs each handler call; a bounded pool that rejects when full makes the port answer 503
   */
  public PeerServer(Vertx vertx, PeerTls tls, Set<String> clientRoles, PeerTransport.Handler handler, Executor dispatch) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.clientRoles = Set.copyOf(clientRoles);
    this.handler = Objects.requireNonNull(handler, "handler");
    this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
  }

  /** Listens; completes with the bound port (0 picks an ephemeral one). */
  public synchronized Future<Integer> listen(String host, int port) {
    if (server != null || closing) {
      return Future.failedFuture(new IllegalStateException("the peer server listens once"));
    }
    guard = ConnectionGuard.of(vertx, ConnectionLimits.DEFAULTS, "storage peer");
    HttpServerOptions options = new HttpServerOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keys()))
        .setTrustOptions(TrustOptions.wrap(
            new PeerTrustManager(tls.ca(), tls.clock(), clientRoles, "storage peer port", TLS_REFUSALS::warn)))
        .setClientAuth(ClientAuth.REQUIRED);
    guard.configure(options);
    HttpServer created = vertx.createHttpServer(options);
    server = created;
    return guard.install(created, this::route).listen(port, host).map(s -> {
      LOG.info("storage peer port listening on {}:{}", host, s.actualPort());
      return s.actualPort();
    });
  }

  /**
   * Stops taking requests (503 from now on) and closes the port once the calls in flight are
   * answered, or after {@link PeerLimits#SERVER_CLOSE_GRACE} at the latest.
   */
  public synchronized Future<Void> close() {
    closing = true;
    if (guard != null) {
      guard.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(PeerLimits.SERVER_CLOSE_GRACE);
    server = null;
    return closed;
  }

  private void route(HttpServerRequest request) {
    if (!PATH.equals(request.path())) {
      reply(request, 404, "no such endpoint; peers call POST " + PATH);
      return;
    }
    if (!HttpMethod.POST.equals(request.method())) {
      reply(request, 405, "the peer endpoint takes POST only");
      return;
    }
    if (closing) {
      unavailable(request, "the storage node is stopping");
      return;
    }
    PeerName from;
    try {
      from = caller(request);
    } catch (PeerRefusedException e) {
      // The handshake admitted the certificate, so this is not expected; refuse rather than guess.
      reply(request, 403, e.getMessage());
      return;
    }
    if (inFlight.incrementAndGet() > PeerLimits.SERVER_IN_FLIGHT_MAX) {
      inFlight.decrementAndGet();
      unavailable(request, "the storage node's peer port is saturated; retry");
      return;
    }
    new Exchange(request, from).read();
  }

  /** Who the connection's client certificate names (the handshake already checked it). */
  private PeerName caller(HttpServerRequest request) throws PeerRefusedException {
    List<Certificate> chain;
    try {
      chain = request.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new PeerRefusedException("the connection presented no verified certificate");
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      throw new PeerRefusedException("the connection presented no X.509 certificate");
    }
    PeerName name = PeerCheck.nameOf(leaf);
    if (!clientRoles.contains(name.role())) {
      throw new PeerRefusedException("certificate of " + name + " names a role this port does not admit");
    }
    return name;
  }

  /** One admitted request: reads its body within the bounds, runs the handler, answers. Event-loop confined. */
  private final class Exchange {
    private final HttpServerRequest request;
    private final PeerName from;
    private final Buffer body = Buffer.buffer();
    private long seenBytes;
    private long reservedBytes;
    /** Why the body is being dropped (413 or 503), or null while it is being kept. */
    private Refusal refusal;
    private boolean released;

    Exchange(HttpServerRequest request, PeerName from) {
      this.request = request;
      this.from = from;
    }

    void read() {
      // Released exactly once, whether the response ends or the connection drops first.
      request.response().endHandler(v -> release());
      request.response().closeHandler(v -> release());
      String declared = request.getHeader("Content-Length");
      if (declared != null && declaredLength(declared) > PeerLimits.DISCARD_BYTES_MAX) {
        tooLargeAndClose();
        return;
      }
      request.handler(this::chunk);
      request.exceptionHandler(e -> LOG.debug("storage peer request from {} failed: {}", from, e.toString()));
      request.endHandler(v -> ended());
    }

    private long declaredLength(String declared) {
      try {
        return Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Long.MAX_VALUE;
      }
    }

    private void chunk(Buffer chunk) {
      seenBytes += chunk.length();
      if (seenBytes > PeerLimits.DISCARD_BYTES_MAX) {
        request.connection().close();
        return;
      }
      if (refusal != null) {
        return;
      }
      if (seenBytes > PeerLimits.REQUEST_BYTES_MAX) {
        drop(new Refusal(413, "a peer request may have at most " + PeerLimits.REQUEST_BYTES_MAX + " bytes"));
      } else if (bufferedBytes.addAndGet(chunk.length()) > PeerLimits.BUFFERED_BYTES_MAX) {
        bufferedBytes.addAndGet(-chunk.length());
        drop(new Refusal(503, "the storage node holds too many request bodies; retry"));
      } else {
        reservedBytes += chunk.length();
        body.appendBuffer(chunk);
      }
    }

    private void drop(Refusal why) {
      refusal = why;
      freeBody();
    }

    private void ended() {
      if (refusal != null) {
        reply(request, refusal.status(), refusal.message());
        return;
      }
      byte[] bytes = body.getBytes();
      Context context = vertx.getOrCreateContext();
      try {
        dispatch.execute(() -> handle(bytes).whenComplete((answer, error) -> context.runOnContext(v -> answered(answer, error))));
      } catch (RejectedExecutionException e) {
        unavailable(request, "the storage node's workers are saturated; retry");
      }
    }

    /** On the dispatch executor: the handler's future, or a failed one if it threw. */
    private CompletableFuture<byte[]> handle(byte[] bytes) {
      try {
        CompletableFuture<byte[]> answer = handler.handle(from.id(), bytes);
        return answer != null ? answer : CompletableFuture.failedFuture(new IllegalStateException("the peer handler returned no future"));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private void answered(byte[] answer, Throwable error) {
      if (error != null) {
        // A bug or a failed backend: its stack goes to the log, never to the peer.
        LOG.error("storage peer call from {} failed", from, error);
        reply(request, 500, "the storage node failed to handle the call; its log says why");
      } else if (answer == null || answer.length > PeerLimits.RESPONSE_BYTES_MAX) {
        LOG.error("storage peer call from {}: the handler's answer of {} bytes is not sendable (at most {})",
            from, answer == null ? "null" : answer.length, PeerLimits.RESPONSE_BYTES_MAX);
        reply(request, 500, "the storage node's answer passes the peer limit");
      } else {
        var response = request.response();
        if (!response.ended() && !response.closed()) {
          response.setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(Buffer.buffer(answer));
        }
      }
    }

    private void tooLargeAndClose() {
      request.response()
          .setStatusCode(413)
          .putHeader("Connection", "close")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("a peer request may have at most " + PeerLimits.REQUEST_BYTES_MAX + " bytes\n")
          .onComplete(v -> request.connection().close());
    }

    private void freeBody() {
      bufferedBytes.addAndGet(-reservedBytes);
      reservedBytes = 0;
    }

    private void release() {
      if (!released) {
        released = true;
        inFlight.decrementAndGet();
        freeBody();
      }
    }
  }

  private record Refusal(int status, String message) {}

  /** 503 on a connection the client should not reuse: the server is saturated or stopping. */
  private static void unavailable(HttpServerRequest request, String message) {
    request.response().putHeader("Connection", "close");
    reply(request, 503, message);
  }

  private static void reply(HttpServerRequest request, int status, String message) {
    var response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
  }
}
