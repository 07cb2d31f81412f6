package dev.canopy.storage.s3;

/**
 * The client closed the connection before its answer was complete. Normal traffic (a cancelled
 * download, a timed-out client), not a fault of ours: logged at debug, never answered.
 */
final class ClientGoneException extends RuntimeException {
  ClientGoneException() {
    super("client closed the connection", null, false, false);
  }
}
