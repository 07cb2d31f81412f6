package dev.canopy.storage.local;

/** A durable write or read failed (disk full, I/O error, closed store). Nothing was changed. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
