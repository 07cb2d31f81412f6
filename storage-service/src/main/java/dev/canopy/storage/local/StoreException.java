package dev.canopy.storage.local;

import dev.canopy.api.error.Unavailable;

/**
 * A durable write or read failed (disk full, I/O error, closed or unreachable store). Nothing was
 * changed. Clients get 503 ServiceUnavailable ({@link Unavailable}).
 */
public final class StoreException extends RuntimeException implements Unavailable {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
