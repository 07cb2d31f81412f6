package dev.canopy.storage.kv.peer;

import dev.canopy.core.tls.PeerTrustManager;
import dev.canopy.storage.kv.PeerTransport;
import dev.canopy.storage.kv.PeerUnreachableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link PeerTransport}: each call is one {@code POST /v1/peer} to the node's
 * {@link PeerServer} over mutual TLS, presenting this node's storage certificate. The server must
 * present a certificate of this cloud's CA naming the storage id that was dialed ({@link
 * DialedPeerTrustManager}). One connection pool per peer, bounded ({@link PeerLimits}); each call
 * is bounded by the call timeout, waiting for a connection included. Every failure (unknown
 * node, refused connection, refused TLS, timeout, a status other than 200, an oversized message)
 * fails the future with {@link PeerUnreachableException} and nothing else.
 *
 * <p>Futures complete on the {@code completions} executor, never on a Vert.x event loop, so the
 * engine may block (call its backend) in what it chains on them.
 *
 * <p>Thread-safe; {@link #peers} may be called at any time (ring changes).
 */
public final class VertxPeerTransport implements PeerTransport {

  private static final Logger LOG = LoggerFactory.getLogger(VertxPeerTransport.class);
  /** Refused handshakes log under the trust manager's name, as on every other Canopy connection. */
  private static final Logger TLS_REFUSALS = LoggerFactory.getLogger(PeerTrustManager.class);

  private final Vertx vertx;
  private final PeerTls tls;
  private final Duration callTimeout;
  private final Executor completions;
  private volatile Map<String, Peer> peers = Map.of();
  private boolean closed;

  /** One peer: where it listens and the pool of connections to it. */
  private record Peer(URI base, HttpClientAgent client) {}

  /**
   * @param peers node id → base URL of its peer port, e.g. {@code https://10.0.0.2:8778}
   * @param callTimeout bound on one call, from {@link #call} to the answer's last byte
   * @param completions completes the callers' futures (a pool the engine may block on)
   */
  public VertxPeerTransport(Vertx vertx, PeerTls tls, Map<String, URI> peers, Duration callTimeout, Executor completions) {
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("a call timeout must be positive: " + callTimeout);
    }
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.callTimeout = callTimeout;
    this.completions = Objects.requireNonNull(completions, "completions");
    peers(peers);
  }

  /** With {@link PeerLimits#CALL_TIMEOUT_DEFAULT}. */
  public VertxPeerTransport(Vertx vertx, PeerTls tls, Map<String, URI> peers, Executor completions) {
    this(vertx, tls, peers, PeerLimits.CALL_TIMEOUT_DEFAULT, completions);
  }

  /**
   * Replaces the list of peers (the ring changed). A peer whose URL is unchanged keeps its pooled
   * connections; one that left or moved has its pool closed, failing its calls in flight.
   */
  public synchronized void peers(Map<String, URI> next) {
    if (closed) {
      throw new IllegalStateException("the peer transport is closed");
    }
    Map<String, Peer> current = peers;
    Map<String, Peer> updated = new HashMap<>();
    next.forEach((node, base) -> {
      Peer kept = current.get(node);
      updated.put(node, kept != null && kept.base().equals(base) ? kept : new Peer(checked(node, base), client(node)));
    });
    peers = Map.copyOf(updated);
    current.forEach((node, peer) -> {
      if (updated.get(node) != peer) {
        peer.client().close();
      }
    });
  }

  /** Closes every pool; calls in flight fail. */
  public synchronized Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    peers.values().forEach(peer -> closing.add(peer.client().close()));
    peers = Map.of();
    return Future.join(closing).mapEmpty();
  }

  @Override
  public CompletableFuture<byte[]> call(String node, byte[] request) {
    Call call = new Call(node);
    Peer peer = peers.get(node);
    if (peer == null) {
      call.fail("it is not in this node's list of storage peers");
    } else if (request.length > PeerLimits.REQUEST_BYTES_MAX) {
      call.fail("a request of " + request.length + " bytes passes the peer limit of " + PeerLimits.REQUEST_BYTES_MAX);
    } else {
      try {
        call.start(peer, request);
      } catch (RuntimeException e) {
        // A closed pool throws instead of failing its future; to the engine it is the same missing vote.
        call.fail(describe(e));
      }
    }
    return call.result;
  }

  private static URI checked(String node, URI base) {
    if (!"https".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 0) {
      throw new IllegalArgumentException("storage node " + node + "'s peer URL must be https://host:port, not " + base);
    }
    return base;
  }

  private HttpClientAgent client(String node) {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis());
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setSsl(true)
        // Peers are known by the id in their certificate, not by the address they were dialed on.
        .setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keys()))
        .setTrustOptions(TrustOptions.wrap(new DialedPeerTrustManager(tls, node, "storage peer → " + node, TLS_REFUSALS::warn)))
        .setConnectTimeout(timeoutMs)
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) PeerLimits.CLIENT_KEEP_ALIVE.toSeconds());
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(PeerLimits.CONNECTIONS_PER_PEER_MAX)
        .setMaxWaitQueueSize(PeerLimits.CALLS_WAITING_PER_PEER_MAX);
    return vertx.httpClientBuilder().with(options).with(pool).build();
  }

  /** One call: its future, its timer, and the request once a connection carries it. */
  private final class Call {
    private final String node;
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private long timer = -1;
    private volatile HttpClientRequest sent;
    private final AtomicBoolean finished = new AtomicBoolean();

    Call(String node) {
      this.node = node;
    }

    void start(Peer peer, byte[] request) {
      long timeoutMs = callTimeout.toMillis();
      timer = vertx.setTimer(timeoutMs, id -> {
        if (fail("no answer within " + callTimeout.toMillis() + " ms")) {
          HttpClientRequest outgoing = sent;
          if (outgoing != null) {
            // Resetting closes the connection: an answer arriving late must not be read as the next call's.
            outgoing.reset();
          }
        }
      });
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setAbsoluteURI(peer.base().resolve(PeerServer.PATH).toString())
          .putHeader("Content-Type", PeerServer.CONTENT_TYPE)
          .setConnectTimeout(timeoutMs);
      peer.client().request(options)
          .compose(outgoing -> {
            sent = outgoing;
            if (finished.get()) {
              outgoing.reset();
              return Future.failedFuture(new IllegalStateException("the call timed out before a connection was free"));
            }
            return outgoing.send(Buffer.buffer(request));
          })
          .compose(this::answer)
          .onComplete(done -> {
            if (done.succeeded()) {
              succeed(done.result());
            } else {
              fail(describe(done.cause()));
            }
          });
    }

    /** The answer's bytes for a 200 within the limit; otherwise a failure saying what came back. */
    private Future<byte[]> answer(HttpClientResponse response) {
      long declared = contentLength(response);
      if (response.statusCode() == 200) {
        if (declared < 0 || declared > PeerLimits.RESPONSE_BYTES_MAX) {
          response.request().reset();
          return Future.failedFuture(new Refusal("an answer of " + (declared < 0 ? "undeclared length" : declared + " bytes")
              + " (at most " + PeerLimits.RESPONSE_BYTES_MAX + " are read)"));
        }
        return response.body().map(Buffer::getBytes);
      }
      String status = "HTTP " + response.statusCode();
      if (declared < 0 || declared > PeerLimits.ERROR_TEXT_CHARS_MAX * 4L) {
        response.request().reset();
        return Future.failedFuture(new Refusal(status));
      }
      return response.body().transform(text -> Future.failedFuture(new Refusal(
          text.succeeded() ? status + ": " + shortText(text.result().toString()) : status)));
    }

    void succeed(byte[] answer) {
      if (finished.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        complete(() -> result.complete(answer));
      }
    }

    /** @return whether this ended the call (false when it had already ended) */
    boolean fail(String why) {
      if (!finished.compareAndSet(false, true)) {
        return false;
      }
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      LOG.debug("storage peer call to {} failed: {}", node, why);
      PeerUnreachableException failure = new PeerUnreachableException(node, why);
      complete(() -> result.completeExceptionally(failure));
      return true;
    }

    private void complete(Runnable completion) {
      try {
        completions.execute(completion);
      } catch (RejectedExecutionException e) {
        // The pool is shutting down or full: completing here beats leaving the caller waiting for ever.
        completion.run();
      }
    }
  }

  /** A status other than 200, or an answer this side will not read. */
  private static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  private static long contentLength(HttpClientResponse response) {
    String declared = response.getHeader("Content-Length");
    if (declared == null) {
      return -1;
    }
    try {
      return Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String shortText(String text) {
    String line = text.strip();
    return line.length() <= PeerLimits.ERROR_TEXT_CHARS_MAX ? line : line.substring(0, PeerLimits.ERROR_TEXT_CHARS_MAX) + "…";
  }

  /** A sentence for the exception: the cause's kind and message, never its stack. */
  private static String describe(Throwable cause) {
    if (cause instanceof Refusal refusal) {
      return refusal.getMessage();
    }
    if (cause instanceof SSLException) {
      return "TLS refused: " + cause.getMessage();
    }
    if (cause instanceof ConnectException) {
      return "connection refused: " + cause.getMessage();
    }
    return cause.toString();
  }
}
