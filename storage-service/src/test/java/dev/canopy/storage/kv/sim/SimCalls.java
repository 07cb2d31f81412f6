package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.Content;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Calls into simulated nodes from a test: run the network until a call is done. */
final class SimCalls {

  private SimCalls() {}

  /** The call's failure, after running the network until it failed (a test failure if it did not). */
  static Throwable failure(SimNetwork net, CompletableFuture<?> f) {
    net.runUntil(f::isDone, 10_000_000);
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  static Content text(String s) {
    return Content.of(s.getBytes(StandardCharsets.UTF_8), "text/plain");
  }
}
