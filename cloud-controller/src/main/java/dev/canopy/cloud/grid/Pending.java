package dev.canopy.cloud.grid;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for an asynchronous grid call as if it had been a blocking one. */
public final class Pending {

  private Pending() {}

  /**
   * The result, or the call's own exception (not wrapped in a {@link CompletionException}), so
   * callers see what the blocking call would have thrown.
   */
  public static <R> R await(CompletableFuture<R> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
