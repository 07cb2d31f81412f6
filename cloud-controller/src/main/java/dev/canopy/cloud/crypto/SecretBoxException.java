package dev.canopy.cloud.crypto;

/** A sealed secret could not be opened: wrong master key, wrong purpose, or tampering. */
public final class SecretBoxException extends RuntimeException {
  public SecretBoxException(String message) {
    super(message);
  }
}
