package dev.canopy.deploy.process;

import dev.canopy.core.time.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints a process started, stopped in the reverse order, each within a bound, so no
 * request reaches a part that has already stopped; then Vert.x itself.
 */
public final class ServerStack {

  private static final Logger LOG = LoggerFactory.getLogger(ServerStack.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final List<Supplier<Future<Void>>> stops = new ArrayList<>();

  public synchronized void add(Supplier<Future<Void>> stop) {
    stops.add(stop);
  }

  /** Stops every endpoint, newest first, then {@code vertx} (when not null); logs what did not stop cleanly. */
  public void stopAll(Vertx vertx) {
    List<Supplier<Future<Void>>> reversed;
    synchronized (this) {
      reversed = new ArrayList<>(stops);
      stops.clear();
    }
    for (int i = reversed.size() - 1; i >= 0; i--) {
      try {
        Futures.await(reversed.get(i).get().toCompletionStage(), STOP_TIMEOUT, "an endpoint's stop");
      } catch (Exception e) {
        LOG.warn("an endpoint did not stop cleanly: {}", e.toString());
      }
    }
    if (vertx != null) {
      try {
        Futures.await(vertx.close().toCompletionStage(), STOP_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
      }
    }
  }
}
