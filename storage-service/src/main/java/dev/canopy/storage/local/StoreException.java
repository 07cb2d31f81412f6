package dev.canopy.storage.local;

import dev.canopy.api.error.Unavailable;

/**
 * A durable write or read failed (disk full, I/O error, closed or unreachable store). Nothing was
 * changed. Clients get 503 ServiceUnavailable ({@link Unavailable}).
 */
public final class StoreException extends RuntimeException implements Unavailable {

  private final boolean elsewhere;

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param elsewhere the request was not applied where it was sent (no answer, or "unavailable"),
   *     so another endpoint of the same replicated store may take it
   */
  public StoreException(String message, Throwable cause, boolean elsewhere) {
    super(message, cause);
    this.elsewhere = elsewhere;
  }

  /** Whether another endpoint of the same store may take the request (see the constructor). */
  public boolean tryElsewhere() {
    return elsewhere;
  }
}
