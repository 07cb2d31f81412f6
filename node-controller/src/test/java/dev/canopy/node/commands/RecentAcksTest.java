package dev.canopy.node.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.protocol.Ack;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The remembered command ids: a least-recently-used bound, so an id the controller keeps retrying is never forgotten first. */
class RecentAcksTest {

  private static CompletableFuture<Ack> answer(String id) {
    return CompletableFuture.completedFuture(new Ack(id, true, null, null, 1, null));
  }

  @Test
  void theFirstClaimRegistersAndEveryLaterOneGetsThatSameAnswer() {
    RecentAcks recent = new RecentAcks(4);
    CompletableFuture<Ack> first = new CompletableFuture<>();

    assertThat(recent.claim("c-1", first)).isNull();
    assertThat(recent.claim("c-1", answer("c-1"))).as("a retry gets the first run's answer").isSameAs(first);
    assertThat(recent.claim("c-1", answer("c-1"))).isSameAs(first);
  }

  @Test
  void anIdSeenAgainIsKeptOverOnesSeenOnlyOnceLongAgo() {
    RecentAcks recent = new RecentAcks(2);
    CompletableFuture<Ack> a = answer("a");
    recent.claim("a", a);
    recent.claim("b", answer("b"));
    recent.claim("a", answer("a")); // a retry of a: now the most recently used

    recent.claim("c", answer("c")); // the bound is passed: b goes, not a

    assertThat(recent.claim("a", answer("a"))).as("a is remembered").isSameAs(a);
    assertThat(recent.claim("b", answer("b"))).as("b was forgotten, so it would run again").isNull();
  }

  @Test
  void theBoundHoldsExactly() {
    RecentAcks recent = new RecentAcks(3);
    for (int i = 0; i < 10; i++) {
      recent.claim("c-" + i, answer("c-" + i));
    }

    for (int i = 7; i < 10; i++) {
      assertThat(recent.claim("c-" + i, answer("again")).join().commandId()).as("c-%d is among the newest three", i)
          .isEqualTo("c-" + i);
    }
    assertThat(recent.claim("c-6", answer("c-6"))).as("c-6 was the fourth newest").isNull();
  }

  @Test
  void aBoundBelowOneIsABug() {
    assertThatThrownBy(() -> new RecentAcks(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
