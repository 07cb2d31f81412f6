package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.Effects.TimerRequest;
import io.vertx.core.Vertx;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The core's timer requests as Vert.x timers: at most one pending per kind, a new request
 * replacing the pending one. Used from the service's context only; a firing timer is routed back
 * onto it and handed to {@code fire} unless it was replaced or cancelled in the meantime.
 */
final class LeaseTimers {

  /** The core's deadlines are bounded by the lease settings (at most an hour); beyond is a bug. */
  private static final long DELAY_MS_MAX = TimeUnit.HOURS.toMillis(2);

  private final Vertx vertx;
  private final LongSupplier nanos;
  private final Consumer<Runnable> onContext;
  private final Consumer<TimerKind> fire;
  private final Map<TimerKind, Long> pending = new EnumMap<>(TimerKind.class);

  LeaseTimers(Vertx vertx, LongSupplier nanos, Consumer<Runnable> onContext, Consumer<TimerKind> fire) {
    this.vertx = vertx;
    this.nanos = nanos;
    this.onContext = onContext;
    this.fire = fire;
  }

  void arm(TimerRequest request) {
    TimerKind kind = request.kind();
    Long previous = pending.remove(kind);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
    long delayNanos = request.deadlineNanos() - nanos.getAsLong();
    // Rounded up and at least 1 ms (Vert.x's minimum); a timer that still fires early is re-armed by the core.
    long delayMs = Math.max(1, Math.floorDiv(delayNanos + 999_999, 1_000_000));
    if (delayMs > DELAY_MS_MAX) {
      throw new IllegalStateException("the lease core asked for a " + kind + " timer " + delayMs + " ms ahead");
    }
    long[] id = new long[1];
    id[0] = vertx.setTimer(delayMs, fired -> onContext.accept(() -> fired(kind, id[0])));
    pending.put(kind, id[0]);
  }

  void cancelAll() {
    pending.values().forEach(vertx::cancelTimer);
    pending.clear();
  }

  private void fired(TimerKind kind, long timerId) {
    Long current = pending.get(kind);
    if (current == null || current != timerId) {
      return; // replaced or cancelled after it was already queued
    }
    pending.remove(kind);
    fire.accept(kind);
  }
}
