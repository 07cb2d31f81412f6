package dev.canopy.deploy.dev;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        reversed.get(i).get().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("an endpoint did not stop cleanly: {}", e.toString());
      }
    }
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
      }
    }
  }
}
