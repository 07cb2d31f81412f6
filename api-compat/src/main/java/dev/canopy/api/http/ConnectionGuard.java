package dev.canopy.api.http;

import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link ConnectionLimits} to one listener: the idle and TLS handshake timeouts through
 * the server's options, the connection caps as each connection opens (one over a cap is closed
 * at once, before it is read), and the head timeout by a sweep that closes connections that have
 * not sent a complete request head in time. Vert.x has an idle timeout but no head timeout, so a
 * client dripping one header byte at a time would otherwise hold a connection for ever.
 *
 * <p>On TLS listeners Vert.x reports a connection only after its handshake, so connections still
 * in the handshake are bounded by the handshake timeout, not by the caps.
 *
 * <p>Lifecycle: one guard per listener (one or several servers on one port); {@link #close()} with it.
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  /** The sweep looks this many times per head timeout, so a slow client is closed at most a quarter late. */
  private static final int SWEEPS_PER_HEAD_TIMEOUT = 4;
  private static final long SWEEP_INTERVAL_MS_MIN = 10;
  private static final long SWEEP_INTERVAL_MS_MAX = 1000;
  /** At most one refusal line per listener this often, however long the flood. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Vertx vertx;
  private final ConnectionLimits limits;
  private final String listener;
  private final Time time;
  private final ConnectionCounts counts;
  private final Map<HttpConnection, Tracked> connections = new ConcurrentHashMap<>();
  private final AtomicLong refusalLoggedNanos = new AtomicLong();
  private final AtomicBoolean refusalEverLogged = new AtomicBoolean();
  private final LongAdder refusedSinceLog = new LongAdder();
  private long sweepTimer = -1;

  private ConnectionGuard(Vertx vertx, ConnectionLimits limits, String listener, Time time) {
    this.vertx = vertx;
    this.limits = limits;
    this.listener = listener;
    this.time = time;
    this.counts = new ConnectionCounts(limits.connectionsMax(), limits.connectionsPerAddressMax());
  }

  /** @param listener names the port in log lines ("EC2", "S3", ...) */
  public static ConnectionGuard of(Vertx vertx, ConnectionLimits limits, String listener) {
    return new ConnectionGuard(vertx, limits, listener, SystemTime.INSTANCE);
  }

  /**
   * Sets the idle timeout, and the handshake timeout of a TLS listener, on the server's options.
   * Cleartext HTTP/2 goes off: Vert.x reports such a listener's connections only once their first
   * bytes told HTTP/1 from HTTP/2, so a connection that sends nothing would escape the guard (no
   * AWS SDK or CLI speaks h2c).
   */
  public <T extends NetServerOptions> T configure(T options) {
    options.setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (options instanceof HttpServerOptions http) {
      http.setHttp2ClearTextEnabled(false);
    }
    if (options.isSsl()) {
      options.setSslHandshakeTimeout(limits.headTimeout().toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    return options;
  }

  /**
   * Installs the caps and the head timeout on an HTTP server, in front of its request handler. A
   * listener served from several event loops ({@link SharedPortServers}) installs one guard on each
   * of its servers: the caps count the listener's connections, whichever server took them.
   */
  public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
    long intervalMs = Math.max(SWEEP_INTERVAL_MS_MIN,
        Math.min(SWEEP_INTERVAL_MS_MAX, limits.headTimeout().toMillis() / SWEEPS_PER_HEAD_TIMEOUT));
    synchronized (this) {
      if (sweepTimer < 0) {
        sweepTimer = vertx.setPeriodic(intervalMs, id -> sweep());
      }
    }
    return server.connectionHandler(this::opened).requestHandler(request -> {
      Tracked tracked = connections.get(request.connection());
      if (tracked != null) {
        tracked.arrived(request);
      }
      requests.handle(request);
    });
  }

  /**
   * Admits a raw TCP connection (a server that is not HTTP) under the caps; the caller runs the
   * returned release exactly when the connection closes, and closes it at once when empty.
   */
  public Optional<Runnable> admit(SocketAddress remote) {
    String address = addressOf(remote);
    if (!admitted(address, remote)) {
      return Optional.empty();
    }
    AtomicBoolean released = new AtomicBoolean();
    return Optional.of(() -> {
      if (released.compareAndSet(false, true)) {
        counts.release(address);
      }
    });
  }

  /** Requests held across the connections (for tests: the answered ones are let go). */
  int requestsHeld() {
    return connections.values().stream().mapToInt(Tracked::held).sum();
  }

  /** Connections open now (admitted and not closed). */
  public int open() {
    return counts.open();
  }

  /** Stops the sweep; the server closes its own connections. */
  public synchronized void close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  private void opened(HttpConnection connection) {
    String address = addressOf(connection.remoteAddress());
    if (!admitted(address, connection.remoteAddress())) {
      connection.close();
      return;
    }
    connections.put(connection, new Tracked(new HeadDeadline(time.nanoTime(), limits.headTimeout().toNanos())));
    connection.closeHandler(v -> {
      connections.remove(connection);
      counts.release(address);
    });
  }

  private boolean admitted(String address, SocketAddress remote) {
    ConnectionCounts.Admission admission = counts.admit(address);
    if (admission == ConnectionCounts.Admission.ADMITTED) {
      return true;
    }
    refusedSinceLog.increment();
    // One line a minute, not one per refused connection: the flood must not fill the disk.
    long now = time.nanoTime();
    long last = refusalLoggedNanos.get();
    boolean first = !refusalEverLogged.get();
    if ((first || now - last >= REFUSAL_LOG_INTERVAL_NANOS) && refusalLoggedNanos.compareAndSet(last, now)) {
      refusalEverLogged.set(true);
      LOG.warn("{} port: refusing connections ({}), this one from {}; {} refused since the last such line; limits {} per listener, {} per address",
          listener, admission == ConnectionCounts.Admission.LISTENER_FULL ? "listener full" : "too many from one address",
          remote, refusedSinceLog.sumThenReset(), limits.connectionsMax(), limits.connectionsPerAddressMax());
    }
    return false;
  }

  private void sweep() {
    long now = time.nanoTime();
    connections.forEach((connection, tracked) -> {
      if (tracked.expired(now)) {
        LOG.debug("{} port: closing a connection from {} that sent no request head within {}",
            listener, connection.remoteAddress(), limits.headTimeout());
        connections.remove(connection);
        connection.close();
      }
    });
  }

  private static String addressOf(SocketAddress remote) {
    String host = remote == null ? null : remote.hostAddress();
    return host == null ? "unknown" : host;
  }

  /** One connection: its head deadline and the requests it is being answered. */
  private static final class Tracked {
    private final HeadDeadline deadline;
    /**
     * Requests not yet answered, pruned whenever a request arrives and at every sweep: a
     * keep-alive connection holds its current request only. Kept until the next sweep, a busy
     * connection's thousands of answered requests outlived young collections and were promoted
     * (docs/benchmarks.md, S3 at one client).
     */
    private final List<HttpServerRequest> answering = new ArrayList<>();

    Tracked(HeadDeadline deadline) {
      this.deadline = deadline;
    }

    synchronized void arrived(HttpServerRequest request) {
      deadline.headArrived();
      if (request.headers().contains("upgrade")) {
        deadline.upgraded();
      }
      answering.removeIf(Tracked::answered);
      answering.add(request);
    }

    synchronized boolean expired(long nowNanos) {
      answering.removeIf(Tracked::answered);
      return deadline.expired(!answering.isEmpty(), nowNanos);
    }

    synchronized int held() {
      return answering.size();
    }

    private static boolean answered(HttpServerRequest request) {
      return request.response().ended() || request.response().closed();
    }
  }
}
