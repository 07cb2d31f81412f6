package dev.canopy.cloud.metering.series;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The open block of one series: takes points, keeps them in time order, and hands each block it
 * seals to {@code sealed}. Not thread-safe: one aggregator thread owns a series.
 *
 * <ul>
 *   <li>A point after the last is appended; a <b>late</b> point (an agent replaying its queue after an
 *       outage) is inserted at its place, as long as it falls in the open block's window.
 *   <li>A <b>duplicate</b> (a second the block already has) counts once and <b>the first value wins</b>:
 *       agents send each 10-second delta under a fixed second and a resent batch repeats it, so the
 *       first value is the one already seen by graphs and roll-ups; replacing it would rewrite counted
 *       usage silently. The aggregator can report a duplicate whose value differs.
 *   <li>The block is sealed at {@link BlockPolicy#pointsMax()} points, when a point arrives past its
 *       window, or on {@link #flush()}. A point earlier than what is sealed, or than the open window,
 *       is {@link Outcome#TOO_LATE}: it is never merged into the open block (blocks of one series never
 *       overlap); the aggregator turns it into an adjustment.
 * </ul>
 */
public final class SeriesAppender {

  /** What {@link #offer} did with a point. */
  public enum Outcome {
    APPENDED,
    INSERTED_LATE,
    DUPLICATE,
    TOO_LATE
  }

  private final int seriesId;
  private final BlockPolicy policy;
  private final Consumer<SealedBlock> sealed;
  private final long[] seconds;
  private final long[] values;
  private int size;
  private long windowEnd;
  /** Points before this second belong to a sealed block or a window already left. */
  private long acceptFromSecond;

  public SeriesAppender(int seriesId, BlockPolicy policy, Consumer<SealedBlock> sealed) {
    this.seriesId = seriesId;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sealed = Objects.requireNonNull(sealed, "sealed");
    this.seconds = new long[policy.pointsMax()];
    this.values = new long[policy.pointsMax()];
  }

  public Outcome offer(long second, long value) {
    SeriesPoints.checkSecond(second);
    if (size > 0 && second >= windowEnd) {
      seal(windowEnd);
    }
    if (second < acceptFromSecond || (size > 0 && second < policy.windowStart(seconds[0]))) {
      return Outcome.TOO_LATE;
    }
    if (size == 0) {
      windowEnd = policy.windowStart(second) + policy.windowSeconds();
    }
    Outcome outcome;
    if (size == 0 || second > seconds[size - 1]) {
      seconds[size] = second;
      values[size] = value;
      outcome = Outcome.APPENDED;
    } else {
      int at = Arrays.binarySearch(seconds, 0, size, second);
      if (at >= 0) {
        return Outcome.DUPLICATE;
      }
      int insertAt = -at - 1;
      System.arraycopy(seconds, insertAt, seconds, insertAt + 1, size - insertAt);
      System.arraycopy(values, insertAt, values, insertAt + 1, size - insertAt);
      seconds[insertAt] = second;
      values[insertAt] = value;
      outcome = Outcome.INSERTED_LATE;
    }
    size++;
    if (size == policy.pointsMax()) {
      seal(seconds[size - 1] + 1);
    }
    return outcome;
  }

  /** Seals the open block, if any (a leader handing over, a shutdown): later points start a new block. */
  public void flush() {
    if (size > 0) {
      seal(seconds[size - 1] + 1);
    }
  }

  /** Points in the open block. */
  public int openPoints() {
    return size;
  }

  private void seal(long acceptFrom) {
    byte[] bytes = BlockCodec.encode(seriesId, seconds, values, size);
    SealedBlock block = new SealedBlock(seriesId, seconds[0], seconds[size - 1], size, bytes);
    size = 0;
    acceptFromSecond = acceptFrom;
    sealed.accept(block);
  }
}
