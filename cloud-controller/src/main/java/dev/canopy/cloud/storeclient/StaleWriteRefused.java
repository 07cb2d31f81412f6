package dev.canopy.cloud.storeclient;

/**
 * The storage process refused a fenced record written under an epoch older than the newest it
 * has seen (HTTP 409): this controller's grid view is stale, and so is its leadership.
 */
public final class StaleWriteRefused extends RuntimeException {

  public StaleWriteRefused(String message) {
    super(message, null, false, false);
  }
}
