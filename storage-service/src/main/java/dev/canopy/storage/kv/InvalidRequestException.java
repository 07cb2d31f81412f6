package dev.canopy.storage.kv;

/** A request the store cannot run as given (a bad quorum value, bucket property or key): a 400. */
public final class InvalidRequestException extends KvException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
