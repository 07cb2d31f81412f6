package dev.canopy.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadDeadlineTest {

  private static final long TIMEOUT = 1_000;

  @Test
  void aConnectionWithoutAHeadExpiresAtTheTimeoutAfterOpening() {
    HeadDeadline deadline = new HeadDeadline(5_000, TIMEOUT);
    assertThat(deadline.expired(false, 5_999)).isFalse();
    assertThat(deadline.expired(false, 6_000)).isTrue();
  }

  @Test
  void noDeadlineWhileARequestIsAnsweredHoweverLong() {
    HeadDeadline deadline = new HeadDeadline(0, TIMEOUT);
    deadline.headArrived();
    assertThat(deadline.expired(true, 1_000_000)).isFalse();
  }

  @Test
  void theNextHeadIsDueWithinTheTimeoutOfThePreviousAnswer() {
    HeadDeadline deadline = new HeadDeadline(0, TIMEOUT);
    deadline.headArrived();
    assertThat(deadline.expired(true, 50_000)).isFalse();
    // First look after the answer ended: the wait starts here.
    assertThat(deadline.expired(false, 60_000)).isFalse();
    assertThat(deadline.expired(false, 60_999)).isFalse();
    assertThat(deadline.expired(false, 61_000)).isTrue();
  }

  @Test
  void anUpgradedConnectionHasNoHeadDeadline() {
    HeadDeadline deadline = new HeadDeadline(0, TIMEOUT);
    deadline.headArrived();
    deadline.upgraded();
    assertThat(deadline.expired(false, 1_000_000)).isFalse();
  }
}
