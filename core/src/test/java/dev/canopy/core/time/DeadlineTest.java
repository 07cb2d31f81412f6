package dev.canopy.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  private final ManualTime time = new ManualTime();

  @Test
  void remainingShrinksAsTimeMovesAndExpiresExactlyAtTheBound() {
    Deadline deadline = Deadline.after(time, Duration.ofSeconds(10));

    time.advance(Duration.ofSeconds(4));
    assertThat(deadline.expired()).isFalse();
    assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(6));

    time.advance(Duration.ofSeconds(6));
    assertThat(deadline.expired()).isTrue();
    assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
  }

  @Test
  void remainingIsNeverNegativeLongAfterTheDeadline() {
    Deadline deadline = Deadline.after(time, Duration.ofMillis(5));
    time.advance(Duration.ofHours(1));
    assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
    assertThat(deadline.bound()).isEqualTo(Duration.ofMillis(5));
  }

  /** The manual clock starts near Long.MAX_VALUE: a deadline compared by value, not difference, would break here. */
  @Test
  void holdsAcrossTheWrapAroundOfTheMonotonicClock() {
    time.advance(Duration.ofNanos(1_000_000_000_000L - 1_000));
    Deadline deadline = Deadline.after(time, Duration.ofSeconds(1));
    assertThat(deadline.expired()).isFalse();
    time.advance(Duration.ofMillis(999));
    assertThat(deadline.expired()).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(deadline.expired()).isTrue();
  }

  @Test
  void aZeroBoundIsExpiredAtOnceAndANegativeOneIsRefused() {
    assertThat(Deadline.after(time, Duration.ZERO).expired()).isTrue();
    assertThatThrownBy(() -> Deadline.after(time, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
