package dev.canopy.deploy.controller;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the metering fold one pass at a time on a worker thread of its own: the next pass starts
 * {@code every} after the previous one ended, or at once when that pass left a backlog (it folded
 * as many batches as a pass may). A periodic timer would start a pass every tick even while the
 * previous one still runs: under a backlog the passes then pile up on Vert.x's shared worker pool,
 * fold the same batches side by side, and starve what else runs there (storing the agents' sample
 * batches, whose acks then wait). The own thread keeps the fold off that pool altogether.
 */
final class FoldSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FoldSchedule.class);

  private final Vertx vertx;
  private final Duration every;
  /** One pass; true when it left batches for another pass right away. */
  private final BooleanSupplier pass;
  private final WorkerExecutor worker;
  private volatile boolean closed;
  private volatile long timerId = -1;

  FoldSchedule(Vertx vertx, Duration every, BooleanSupplier pass) {
    this.vertx = vertx;
    this.every = every;
    this.pass = pass;
    // A pass under a backlog may take minutes: that is its own thread's business, not a blocked
    // event loop or worker, so Vert.x's blocked-thread warning is set far above it.
    this.worker = vertx.createSharedWorkerExecutor("canopy-metering-fold", 1, 30, TimeUnit.MINUTES);
  }

  void start() {
    next(every);
  }

  private void next(Duration delay) {
    if (closed) {
      return;
    }
    timerId = vertx.setTimer(Math.max(1, delay.toMillis()), id -> worker.executeBlocking(pass::getAsBoolean, true).onComplete(done -> {
      if (done.failed()) {
        LOG.warn("metering pass failed; the next one retries", done.cause());
      }
      next(done.succeeded() && done.result() ? Duration.ZERO : every);
    }));
  }

  @Override
  public void close() {
    closed = true;
    long id = timerId;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
    worker.close();
  }
}
