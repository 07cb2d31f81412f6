package dev.canopy.storage.kv.backend;

/** A backend call that failed and changed nothing (disk full, I/O error, closed store). */
public final class BackendException extends RuntimeException {
  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
