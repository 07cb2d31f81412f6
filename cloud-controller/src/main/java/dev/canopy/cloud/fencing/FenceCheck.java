package dev.canopy.cloud.fencing;

import java.util.concurrent.TimeUnit;

/**
 * Whether a holder may still use its fencing epoch: only while {@code now < deadline −
 * fenceMargin} on its own monotonic clock. Minting takes a grid round trip (and may stall in a
 * GC or a slow disk), so the holder checks this after the mint returns and again before each
 * use; the margin covers the time between the check and the write reaching the grid or an agent.
 *
 * <p>Pure: readings of {@code System.nanoTime()} come in from the caller.
 */
public final class FenceCheck {

  private FenceCheck() {}

  /**
   * @param leaseDeadlineNanos when the holder's lease ends, on its monotonic clock
   * @param nowNanos the holder's monotonic clock now
   * @param fenceMarginMs how long before the deadline the epoch stops being usable, ≥ 0
   */
  public static boolean mayUseEpoch(long leaseDeadlineNanos, long nowNanos, long fenceMarginMs) {
    if (fenceMarginMs < 0) {
      throw new IllegalArgumentException("fenceMarginMs must not be negative: " + fenceMarginMs);
    }
    long lastUsableNanos = leaseDeadlineNanos - TimeUnit.MILLISECONDS.toNanos(fenceMarginMs);
    // Compare by difference: monotonic readings may wrap, and only their differences mean anything.
    return lastUsableNanos - nowNanos > 0;
  }
}
