package dev.canopy.cloud.gridtunnel;

import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins an accepted connection to one this side dials, byte for byte both ways. The accepted side
 * is paused until the dial succeeds, so nothing it sends early is lost; each direction is a Vert.x
 * pipe, which pauses the reader while the writer's queue is full, so neither side buffers more
 * than {@code bufferBytes}; and closing either side closes the other.
 */
final class Relay {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private Relay() {}

  /**
   * Call from {@code accepted}'s connect handler, before returning to the event loop.
   *
   * @param dial opens the other side; a failed dial closes {@code accepted}
   * @param onClosed runs once, when {@code accepted} has closed (it always does: a failed dial or a
   *     closed other side closes it)
   */
  static void start(NetSocket accepted, Supplier<Future<NetSocket>> dial, int bufferBytes, Runnable onClosed) {
    accepted.pause();
    AtomicReference<NetSocket> dialled = new AtomicReference<>();
    AtomicBoolean acceptedClosed = new AtomicBoolean();
    accepted.exceptionHandler(e -> LOG.debug("grid relay, accepted side {}: {}", accepted.remoteAddress(), e.toString()));
    accepted.closeHandler(v -> {
      acceptedClosed.set(true);
      NetSocket other = dialled.get();
      if (other != null) {
        other.close();
      }
      onClosed.run();
    });
    dial.get().onComplete(attempt -> {
      if (attempt.failed()) {
        LOG.debug("grid relay from {}: dial failed: {}", accepted.remoteAddress(), attempt.cause().toString());
        accepted.close();
        return;
      }
      NetSocket other = attempt.result();
      dialled.set(other);
      if (acceptedClosed.get()) {
        other.close();
        return;
      }
      other.exceptionHandler(e -> LOG.debug("grid relay, dialled side {}: {}", other.remoteAddress(), e.toString()));
      other.closeHandler(v -> accepted.close());
      accepted.setWriteQueueMaxSize(bufferBytes);
      other.setWriteQueueMaxSize(bufferBytes);
      accepted.pipeTo(other);
      other.pipeTo(accepted);
    });
  }
}
