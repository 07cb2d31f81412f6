package dev.canopy.api.http;

/**
 * When one connection must have sent its next complete request head: within the head timeout of
 * opening, and again within it of the moment its previous request was answered. While a request
 * is being answered (however long a download or upload takes) there is no deadline: the idle
 * timeout watches that. A connection upgraded to another protocol (WebSocket) has none either.
 * Pure: time comes in as monotonic nanos. Thread-safe.
 */
final class HeadDeadline {

  private static final long BUSY = -1;

  private final long timeoutNanos;
  private long waitingSinceNanos;
  private boolean upgraded;

  HeadDeadline(long openedNanos, long timeoutNanos) {
    this.waitingSinceNanos = openedNanos;
    this.timeoutNanos = timeoutNanos;
  }

  /** A complete request head arrived. */
  synchronized void headArrived() {
    waitingSinceNanos = BUSY;
  }

  /** The connection now speaks another protocol; heads are over for it. */
  synchronized void upgraded() {
    upgraded = true;
  }

  /**
   * @param answering whether a request of this connection is still being answered
   * @return whether the connection has waited too long for a head and must be closed
   */
  synchronized boolean expired(boolean answering, long nowNanos) {
    if (upgraded) {
      return false;
    }
    if (answering) {
      waitingSinceNanos = BUSY;
      return false;
    }
    if (waitingSinceNanos == BUSY) {
      // The answer ended since the last look: the wait for the next head starts now.
      waitingSinceNanos = nowNanos;
      return false;
    }
    return nowNanos - waitingSinceNanos >= timeoutNanos;
  }
}
