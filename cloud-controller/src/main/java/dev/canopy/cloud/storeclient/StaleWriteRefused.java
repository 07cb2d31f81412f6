package dev.canopy.cloud.storeclient;

import dev.canopy.api.error.Unavailable;

/**
 * The storage process refused a fenced record written under an epoch older than the newest it
 * has seen (HTTP 409): this controller's grid view is stale, and so is its leadership. Clients get
 * 503 ({@link Unavailable}): the holder can serve them.
 */
public final class StaleWriteRefused extends RuntimeException implements Unavailable {

  public StaleWriteRefused(String message) {
    super(message, null, false, false);
  }
}
