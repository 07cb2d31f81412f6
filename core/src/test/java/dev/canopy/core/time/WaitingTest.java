package dev.canopy.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitingTest {

  private final ManualTime time = new ManualTime();

  @Test
  void returnsAsSoonAsTheConditionHoldsSleepingOnePollIntervalBetweenLooks() throws Exception {
    AtomicInteger looks = new AtomicInteger();

    Waiting.until(time, "the third look", () -> looks.incrementAndGet() == 3, Duration.ofSeconds(10), Duration.ofMillis(100));

    assertThat(looks).hasValue(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
  }

  @Test
  void givesUpAtTheTimeoutNamingWhatItWaitedFor() {
    AtomicInteger looks = new AtomicInteger();

    assertThatThrownBy(() -> Waiting.until(time, "node 7 to report", () -> {
      looks.incrementAndGet();
      return false;
    }, Duration.ofSeconds(1), Duration.ofMillis(300)))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("gave up after 1 s waiting for node 7 to report");
    // Looks at 0, 300, 600, 900 ms and once more at the deadline; the last sleep is cut to what was left.
    assertThat(looks).hasValue(5);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300),
        Duration.ofMillis(100));
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aConditionThatComesTrueDuringTheLastSleepIsStillSeen() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    assertThat(Waiting.holdsWithin(time, () -> looks.incrementAndGet() == 3, Duration.ofMillis(200), Duration.ofMillis(100)))
        .isTrue();
  }

  @Test
  void holdsWithinAnswersFalseInsteadOfThrowing() throws Exception {
    assertThat(Waiting.holdsWithin(time, () -> false, Duration.ofMillis(50), Duration.ofMillis(20))).isFalse();
    assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(50));
  }

  /** A clock that never moves (a broken or stubbed one) cannot make the wait spin: polls are bounded too. */
  @Test
  void thePollCountIsBoundedEvenWhenTimeStandsStill() throws Exception {
    Time frozen = new Time() {
      @Override
      public long nanoTime() {
        return 0;
      }

      @Override
      public java.time.Instant instant() {
        return ManualTime.START;
      }

      @Override
      public void sleep(Duration duration) {}
    };
    AtomicInteger looks = new AtomicInteger();
    assertThat(Waiting.holdsWithin(frozen, () -> looks.incrementAndGet() < 0, Duration.ofSeconds(1), Duration.ofMillis(100)))
        .isFalse();
    assertThat(looks).hasValue(12);
  }

  @Test
  void untilPresentReturnsTheValueTheProbeFound() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    String found = Waiting.untilPresent(time, "an answer",
        () -> looks.incrementAndGet() < 4 ? Optional.empty() : Optional.of("answer " + looks.get()),
        Duration.ofSeconds(5), Duration.ofMillis(250));
    assertThat(found).isEqualTo("answer 4");
    assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void theConditionsOwnFailurePassesThroughUnchanged() {
    IOException broken = new IOException("disk gone");
    assertThatThrownBy(() -> Waiting.until(time, "a file", () -> {
      throw broken;
    }, Duration.ofSeconds(1), Duration.ofMillis(10))).isSameAs(broken);
  }

  @Test
  void anInterruptStopsTheWait() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Waiting.until(time, "never", () -> false, Duration.ofSeconds(1), Duration.ofMillis(10)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void aPollIntervalMustBePositive() {
    assertThatThrownBy(() -> Waiting.holdsWithin(time, () -> false, Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
