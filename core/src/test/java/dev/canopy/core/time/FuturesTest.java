package dev.canopy.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FuturesTest {

  @Test
  void aCompletedFutureGivesItsValue() throws Exception {
    assertThat(Futures.await(CompletableFuture.completedFuture(42), Duration.ofSeconds(1), "the answer")).isEqualTo(42);
  }

  @Test
  void anUncheckedFailureComesOutAsItself() {
    IllegalStateException failure = new IllegalStateException("port in use");
    assertThatThrownBy(() -> Futures.await(CompletableFuture.failedFuture(failure), Duration.ofSeconds(1), "the listener"))
        .isSameAs(failure);
  }

  @Test
  void aCheckedIoFailureIsWrappedOnceNamingWhatFailed() {
    IOException failure = new IOException("connection refused");
    assertThatThrownBy(() -> Futures.await(CompletableFuture.failedFuture(failure), Duration.ofSeconds(1), "the storage call"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("the storage call failed: connection refused")
        .hasCause(failure);
  }

  @Test
  void aCompletionExceptionIsUnwrappedToTheFailureInside() {
    IllegalArgumentException failure = new IllegalArgumentException("bad");
    CompletableFuture<Object> future = CompletableFuture.failedFuture(new CompletionException(failure));
    assertThatThrownBy(() -> Futures.await(future, Duration.ofSeconds(1), "x")).isSameAs(failure);
  }

  @Test
  void aCheckedFailureOtherThanIoIsWrappedInACompletionException() {
    Exception failure = new Exception("odd");
    assertThatThrownBy(() -> Futures.await(CompletableFuture.failedFuture(failure), Duration.ofSeconds(1), "the mint"))
        .isInstanceOf(CompletionException.class).hasMessageStartingWith("the mint failed").hasCause(failure);
  }

  /** A future that never completes: the wait is bounded, says what it waited for, and cancels the future. */
  @Test
  void aFutureThatNeverCompletesTimesOutAndIsCancelled() {
    CompletableFuture<String> never = new CompletableFuture<>();
    assertThatThrownBy(() -> Futures.await(never, Duration.ofMillis(1), "the agent's enrollment"))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("gave up after 1 ms waiting for the agent's enrollment");
    assertThat(never).isCancelled();
  }
}
