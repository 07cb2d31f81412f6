package dev.canopy.cloud.lease.net;

import dev.canopy.core.tls.PeerRefusedException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection this controller dials to one peer's lease port, over which it sends to that
 * peer. Redials after a failure or a close with a doubling, capped backoff, for as long as the
 * transport runs. {@link #send} never blocks and never queues beyond the socket's bounded write
 * queue: with no connection, or a full queue, the message is dropped (the protocol tolerates loss).
 *
 * <p>Dialling and its callbacks run on the context that called {@link #start}; {@link #send} may
 * be called from any thread.
 */
final class PeerLink {

  /** How the transport attaches its frame reader and close handling to a verified connection. */
  interface Wiring {
    void wire(NetSocket socket, int peerId, Runnable onClosed);
  }

  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

  private final int peerId;
  private final Vertx vertx;
  private final NetClient client;
  private final TransportSettings settings;
  private final Function<Integer, Optional<PeerAddress>> addresses;
  private final X509Certificate ca;
  private final InstantSource certificateClock;
  private final TransportStats.Counters counters;
  private final PeerLogLimiter logLimiter;
  private final LongSupplier nanos;
  private final Wiring wiring;

  private volatile NetSocket socket;
  private volatile boolean closed;
  private long backoffMs;
  private long connectedAtNanos;
  private long reconnectTimer = -1;

  PeerLink(int peerId, Vertx vertx, NetClient client, TransportSettings settings,
      Function<Integer, Optional<PeerAddress>> addresses, X509Certificate ca, InstantSource certificateClock,
      TransportStats.Counters counters, PeerLogLimiter logLimiter, LongSupplier nanos, Wiring wiring) {
    this.peerId = peerId;
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.addresses = addresses;
    this.ca = ca;
    this.certificateClock = certificateClock;
    this.counters = counters;
    this.logLimiter = logLimiter;
    this.nanos = nanos;
    this.wiring = wiring;
    this.backoffMs = settings.reconnectMinMs();
  }

  void start() {
    dial();
  }

  boolean connected() {
    return socket != null;
  }

  /** Writes one frame if connected and the queue has room; returns whether it was written. */
  boolean send(Buffer frame) {
    NetSocket current = socket;
    if (current == null) {
      counters.unconnectedDrops.increment();
      return false;
    }
    if (current.writeQueueFull()) {
      counters.queueFullDrops.increment();
      return false;
    }
    current.write(frame);
    counters.messagesOut.increment();
    return true;
  }

  void keepalive() {
    NetSocket current = socket;
    if (current != null && !current.writeQueueFull()) {
      current.write(Frames.keepalive());
    }
  }

  void close() {
    closed = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    NetSocket current = socket;
    if (current != null) {
      current.close();
    }
  }

  private void dial() {
    reconnectTimer = -1;
    if (closed) {
      return;
    }
    Optional<PeerAddress> address = addresses.apply(peerId);
    if (address.isEmpty()) {
      logLimited("no-address", "lease link to controller {}: no address configured yet", peerId);
      redialLater();
      return;
    }
    PeerAddress target = address.get();
    client.connect(target.port(), target.host()).onComplete(attempt -> {
      if (attempt.failed()) {
        logLimited("connect", "lease link to controller {} at {}: {}", peerId, target, attempt.cause().toString());
        redialLater();
      } else {
        onConnected(attempt.result(), target);
      }
    });
  }

  private void onConnected(NetSocket connected, PeerAddress target) {
    if (closed) {
      connected.close();
      return;
    }
    try {
      int answeredAs = PeerIds.verifiedNodeId(connected, ca, certificateClock);
      if (answeredAs != peerId) {
        // Sending controller 2's messages to controller 3 would not break safety, but it is a
        // wiring mistake that would make the lease silently lose a peer.
        throw new PeerRefusedException("the lease port at " + target + " belongs to controller " + answeredAs
            + ", configured as controller " + peerId + "'s");
      }
    } catch (PeerRefusedException e) {
      counters.refusedConnections.increment();
      logLimited("identity", "lease link to controller {}: refused: {}", peerId, e.getMessage());
      connected.close();
      redialLater();
      return;
    }
    connectedAtNanos = nanos.getAsLong();
    wiring.wire(connected, peerId, () -> onClosed(connected));
    socket = connected;
    LOG.info("lease link to controller {} at {} connected", peerId, target);
  }

  private void onClosed(NetSocket closedSocket) {
    if (socket != closedSocket) {
      return;
    }
    socket = null;
    long upNanos = nanos.getAsLong() - connectedAtNanos;
    // A connection that lasted resets the backoff; one that dies at once (a peer refusing our
    // certificate after the handshake) keeps doubling it.
    if (upNanos >= TimeUnit.MILLISECONDS.toNanos(settings.reconnectMaxMs())) {
      backoffMs = settings.reconnectMinMs();
    }
    if (!closed) {
      LOG.info("lease link to controller {} closed; redialling in {} ms", peerId, backoffMs);
    }
    redialLater();
  }

  private void redialLater() {
    if (closed) {
      return;
    }
    long delayMs = backoffMs;
    backoffMs = Math.min(backoffMs * 2, settings.reconnectMaxMs());
    reconnectTimer = vertx.setTimer(delayMs, id -> dial());
  }

  private void logLimited(String kind, String format, Object... args) {
    long held = logLimiter.admit("link-" + peerId + "/" + kind);
    if (held >= 0) {
      LOG.warn(format + " ({} more like it held back)", append(args, held));
    }
  }

  private static Object[] append(Object[] args, Object last) {
    Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = last;
    return out;
  }
}
