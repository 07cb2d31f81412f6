package dev.canopy.cloud.lease;

/**
 * One simulated machine's clocks as functions of simulated real time {@code t}: a monotonic clock
 * {@code offset + rate * t} (rate within [1 - rho, 1 + rho]) that stops while the machine is
 * paused, and a wall clock that follows it but jumps when told to (NTP steps, an operator).
 */
final class SimClock {

  private final double rate;
  private long anchorRealNanos;
  private double anchorLocalNanos;
  private boolean frozen;
  private long wallSkewNanos;

  SimClock(long offsetNanos, double rate) {
    this.rate = rate;
    this.anchorLocalNanos = offsetNanos;
  }

  double rate() {
    return rate;
  }

  long localNanos(long realNanos) {
    if (frozen) {
      return (long) anchorLocalNanos;
    }
    return (long) (anchorLocalNanos + rate * (realNanos - anchorRealNanos));
  }

  LocalNow now(long realNanos) {
    long local = localNanos(realNanos);
    return new LocalNow(local, Math.floorDiv(local + wallSkewNanos, 1_000_000L));
  }

  boolean isFrozen() {
    return frozen;
  }

  /** A stop-the-world pause: the monotonic clock stops with the machine. */
  void freeze(long realNanos) {
    anchorLocalNanos = localNanos(realNanos);
    anchorRealNanos = realNanos;
    frozen = true;
  }

  void unfreeze(long realNanos) {
    anchorRealNanos = realNanos;
    frozen = false;
  }

  void jumpWall(long deltaNanos) {
    wallSkewNanos += deltaNanos;
  }

  /**
   * The earliest real time, not before {@code nowRealNanos}, at which the local clock shows at
   * least {@code targetLocalNanos}. Only meaningful while not frozen.
   */
  long realWhenLocalReaches(long targetLocalNanos, long nowRealNanos) {
    if (localNanos(nowRealNanos) >= targetLocalNanos) {
      return nowRealNanos;
    }
    long real = anchorRealNanos + (long) Math.ceil((targetLocalNanos - anchorLocalNanos) / rate);
    real = Math.max(real, nowRealNanos);
    // Floating-point rounding may leave us a nanosecond short; step forward (bounded).
    for (int i = 0; i < 8 && localNanos(real) < targetLocalNanos; i++) {
      real++;
    }
    return real;
  }

  /** Local elapsed time over a real interval, ignoring pauses: how a running clock would see it. */
  long realToLocalSpan(long realSpanNanos) {
    return (long) (realSpanNanos * rate);
  }
}
