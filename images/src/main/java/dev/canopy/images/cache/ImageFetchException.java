package dev.canopy.images.cache;

import java.io.IOException;

/**
 * An image file could not be had: every attempt failed, or the cache cannot hold it. An
 * {@link IOException} so disk provisioning reports it like any other disk failure.
 */
public final class ImageFetchException extends IOException {

  public ImageFetchException(String message) {
    super(message);
  }

  public ImageFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
