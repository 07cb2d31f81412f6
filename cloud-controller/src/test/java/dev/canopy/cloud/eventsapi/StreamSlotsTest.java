package dev.canopy.cloud.eventsapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamSlotsTest {

  @Test
  void aSessionHoldsAtMostItsShareAndGivingOneBackFreesIt() {
    StreamSlots slots = new StreamSlots(2, 10);
    assertThat(slots.take("s1")).isTrue();
    assertThat(slots.take("s1")).isTrue();
    assertThat(slots.take("s1")).isFalse();
    assertThat(slots.take("s2")).as("another session").isTrue();
    slots.give("s1");
    assertThat(slots.take("s1")).isTrue();
    assertThat(slots.open()).isEqualTo(3);
  }

  @Test
  void theControllerHoldsAtMostItsBoundAcrossSessions() {
    StreamSlots slots = new StreamSlots(4, 3);
    assertThat(slots.take("a")).isTrue();
    assertThat(slots.take("b")).isTrue();
    assertThat(slots.take("c")).isTrue();
    assertThat(slots.take("d")).isFalse();
    slots.give("b");
    assertThat(slots.take("d")).isTrue();
  }

  @Test
  void givingBackWhatWasNeverTakenChangesNothing() {
    StreamSlots slots = new StreamSlots(1, 1);
    slots.give("ghost");
    assertThat(slots.open()).isZero();
    assertThat(slots.take("a")).isTrue();
    assertThat(slots.take("b")).isFalse();
  }

  @Test
  void theBoundsAreTheDocumentedOnes() {
    assertThat(EventsApi.STREAMS_PER_SESSION_MAX).isEqualTo(4);
    assertThat(EventsApi.STREAMS_PER_CONTROLLER_MAX).isEqualTo(512);
  }

  @Test
  void aNoticeThrottleAdmitsOnePerKeyPerInterval() {
    NoticeThrottle throttle = new NoticeThrottle(Duration.ofSeconds(10));
    Instant t = Instant.parse("2026-12-06T12:00:00Z");
    assertThat(throttle.admit("i-1", t)).isTrue();
    assertThat(throttle.admit("i-1", t.plusSeconds(9))).isFalse();
    assertThat(throttle.admit("i-2", t.plusSeconds(9))).isTrue();
    assertThat(throttle.admit("i-1", t.plusSeconds(10))).isTrue();
  }
}
