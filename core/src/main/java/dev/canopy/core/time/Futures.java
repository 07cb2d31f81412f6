package dev.canopy.core.time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one blocking wait on a future: always bounded, and a failure comes out as its cause (not
 * wrapped in an {@code ExecutionException}), so callers and CLI messages see what went wrong.
 * Vert.x futures come in through {@code future.toCompletionStage()}.
 */
public final class Futures {

  private Futures() {}

  /**
   * Starts an asynchronous call on {@code workers} instead of the caller's thread (an event loop
   * must not run a call that may block before it returns its future); completes as the call does.
   */
  public static <T> CompletableFuture<T> startOn(Executor workers, Supplier<CompletableFuture<T>> call) {
    return CompletableFuture.supplyAsync(call, workers).thenCompose(Function.identity());
  }

  /**
   * The stage's value, waiting at most {@code timeout}; Vert.x futures come in through
   * {@code toCompletionStage()}. Fails as {@link #awaitTask} does.
   */
  public static <T> T await(CompletionStage<T> stage, Duration timeout, String what)
      throws InterruptedException, TimeoutException {
    return awaitTask(stage.toCompletableFuture(), timeout, what);
  }

  /**
   * The future's value (a task on an executor, a Hazelcast call), waiting at most {@code timeout}.
   * On a timeout or an interrupt the future is cancelled (a task still queued then never runs).
   *
   * @param what what the future is, for the messages ("the EC2 listener")
   * @throws TimeoutException naming {@code what}, when it did not finish in time
   * @throws RuntimeException the failure itself when it is unchecked; a checked one wrapped once,
   *     in {@link UncheckedIOException} for I/O and {@link CompletionException} otherwise
   */
  public static <T> T awaitTask(Future<T> future, Duration timeout, String what) throws InterruptedException, TimeoutException {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TimeoutException("gave up after " + Durations.text(timeout) + " waiting for " + what);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw unwrapped(e.getCause(), what);
    } catch (CancellationException e) {
      throw new CancellationException(what + " was cancelled");
    }
  }

  /** The failure to throw for a future's {@code cause}: itself when unchecked, else wrapped once with {@code what}. */
  public static RuntimeException unwrapped(Throwable cause, String what) {
    Throwable inner = cause;
    for (int depth = 0; inner instanceof CompletionException && inner.getCause() != null && depth < 8; depth++) {
      inner = inner.getCause();
    }
    if (inner instanceof Error error) {
      throw error;
    }
    if (inner instanceof RuntimeException runtime) {
      return runtime;
    }
    if (inner instanceof IOException io) {
      return new UncheckedIOException(what + " failed: " + io.getMessage(), io);
    }
    String message = inner.getMessage() == null ? inner.getClass().getSimpleName() : inner.getMessage();
    return new CompletionException(what + " failed: " + message, inner);
  }
}
