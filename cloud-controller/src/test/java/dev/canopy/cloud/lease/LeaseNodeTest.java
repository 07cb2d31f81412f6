package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeaseNodeTest {

  static final long MS = 1_000_000L;

  /** Fires the node's pending RETRY timer at its deadline and returns the effects. */
  static Effects fireRetry(LeaseNode node, Effects started) {
    long at = started.timers().stream().filter(t -> t.kind() == TimerKind.RETRY).findFirst().orElseThrow().deadlineNanos();
    return node.onTimer(TimerKind.RETRY, LocalNow.ofNanos(at));
  }

  @Test
  void aGroupOfOneWinsAloneWithoutSendingAnything() {
    LeaseConfig config = new LeaseConfig(Set.of(4), 5_000, 1e-3, 10_000, 500);
    LeaseNode node = new LeaseNode(config, 4, 2, new SplittableRandom(3));
    Effects started = node.start(LocalNow.ofNanos(0), true);
    Effects won = fireRetry(node, started);
    assertThat(won.sends()).isEmpty();
    assertThat(won.holderEvents()).singleElement().isInstanceOfSatisfying(BecameHolder.class,
        b -> assertThat(b.freshAcquisition()).isTrue());
    long now = won.timers().get(won.timers().size() - 1).deadlineNanos() - 1;
    assertThat(node.holdsLease(LocalNow.ofNanos(now))).isTrue();
    assertThat(node.currentLease(LocalNow.ofNanos(now))).get().satisfies(v -> assertThat(v.self()).isTrue());
  }

  @Test
  void aBroadcastReachesOurOwnAcceptorWithinTheStep() {
    LeaseConfig config = LeaseConfig.suggested(Set.of(1, 2, 3));
    LeaseNode node = new LeaseNode(config, 1, 1, new SplittableRandom(3));
    Effects prepared = fireRetry(node, node.start(LocalNow.ofNanos(0), false));
    assertThat(prepared.sends()).singleElement().satisfies(s -> {
      assertThat(s.isBroadcast()).isTrue();
      assertThat(s.message()).isInstanceOf(PrepareRequest.class);
    });
    assertThat(node.acceptor().promisedBallot()).isEqualTo(((PrepareRequest) prepared.sends().get(0).message()).ballot());
  }

  @Test
  void dropsMessagesFromAnotherConfigurationAndRaisesTheAlarm() {
    LeaseConfig config = LeaseConfig.suggested(Set.of(1, 2, 3));
    LeaseNode node = new LeaseNode(config, 1, 1, new SplittableRandom(3));
    node.start(LocalNow.ofNanos(0), false);
    long foreign = LeaseConfig.suggested(Set.of(1, 2, 3, 4)).configHash();
    assertThat(node.onMessage(new PrepareRequest(2, foreign, Ballot.of(9, 1, 2)), LocalNow.ofNanos(MS)).isEmpty()).isTrue();
    assertThat(node.configMismatchAlarm()).isTrue();
    assertThat(node.foreignConfigDrops()).isEqualTo(1);
    assertThat(node.acceptor().promisedBallot()).isEqualTo(Ballot.NONE);
  }

  @Test
  void dropsMessagesWhoseOwnerIsNotTheirSender() {
    LeaseConfig config = LeaseConfig.suggested(Set.of(1, 2, 3));
    LeaseNode node = new LeaseNode(config, 1, 1, new SplittableRandom(3));
    node.start(LocalNow.ofNanos(0), false);
    node.onMessage(new LearnChosen(2, config.configHash(), 3, 5_000 * MS), LocalNow.ofNanos(MS));
    node.onMessage(new PrepareRequest(9, config.configHash(), Ballot.of(1, 1, 9)), LocalNow.ofNanos(MS));
    assertThat(node.invalidSenderDrops()).isEqualTo(2);
    assertThat(node.currentLease(LocalNow.ofNanos(MS))).isEmpty();
  }

  @Test
  void theLearnerReportsAnotherNodesLease() {
    LeaseConfig config = LeaseConfig.suggested(Set.of(1, 2, 3));
    LeaseNode node = new LeaseNode(config, 1, 1, new SplittableRandom(3));
    node.start(LocalNow.ofNanos(0), false);
    node.onMessage(new LearnChosen(2, config.configHash(), 2, 4_000 * MS), LocalNow.ofNanos(MS));
    assertThat(node.currentLease(LocalNow.ofNanos(1_001 * MS))).contains(new LeaseView(2, 3_000 * MS, false));
    assertThat(node.currentLease(LocalNow.ofNanos(4_001 * MS))).isEmpty();
  }

  @Test
  void theCoreReadsOnlyTheMonotonicClock() {
    LeaseConfig config = new LeaseConfig(Set.of(4), 5_000, 1e-3, 10_000, 500);
    LeaseNode node = new LeaseNode(config, 4, 1, new SplittableRandom(3));
    Effects won = fireRetry(node, node.start(new LocalNow(0, 1_700_000_000_000L), false));
    long deadline = ((BecameHolder) won.holderEvents().get(0)).deadlineNanos();
    // The wall clock jumps an hour back; the lease still ends on the monotonic deadline.
    assertThat(node.holdsLease(new LocalNow(deadline, 1_699_996_400_000L))).isFalse();
    assertThat(node.holdsLease(new LocalNow(deadline - 1, 1_800_000_000_000L))).isTrue();
  }

  @Test
  void adoptingANewSetEndsTheLeaseSilentlyAndQuarantinesTheNextCore() {
    LeaseConfig one = new LeaseConfig(Set.of(4), 5_000, 1e-3, 10_000, 500);
    LeaseNode node = new LeaseNode(one, 4, 2, new SplittableRandom(3));
    Effects won = fireRetry(node, node.start(LocalNow.ofNanos(0), true));
    long now = won.timers().get(0).deadlineNanos();
    assertThat(node.holdsLease(LocalNow.ofNanos(now))).isTrue();

    Effects retired = node.retire(LocalNow.ofNanos(now));
    assertThat(retired.sends()).isEmpty();
    assertThat(retired.holderEvents()).containsExactly(
        new Effects.StoppedHolding(ballotOf(won), Effects.StopReason.RECONFIGURED));
    assertThat(node.holdsLease(LocalNow.ofNanos(now))).isFalse();

    LeaseConfig two = one.withControllers(Set.of(4, 5), 1);
    LeaseNode next = node.reconfigured(two);
    next.startAfterReconfiguration(LocalNow.ofNanos(now));
    // Its acceptor answers nothing until every lease of the old set may have ended...
    PrepareRequest prepare = new PrepareRequest(5, two.configHash(), Ballot.of(50, 1, 5));
    assertThat(next.onMessage(prepare, LocalNow.ofNanos(now + 1_000 * MS)).sends()).isEmpty();
    long after = now + two.reconfigurationQuarantineNanos();
    assertThat(next.onMessage(new PrepareRequest(5, two.configHash(), Ballot.of(51, 1, 5)), LocalNow.ofNanos(after)).sends())
        .singleElement().satisfies(send -> assertThat(send.toNodeId()).isEqualTo(5));
    // ...messages of the old set are foreign to it, and its ballots continue above the old core's.
    assertThat(next.onMessage(new PrepareRequest(5, one.configHash(), Ballot.of(52, 1, 5)), LocalNow.ofNanos(after)).isEmpty()).isTrue();
    assertThat(next.config().leaseDurationMs()).isEqualTo(5_000);
  }

  private static long ballotOf(Effects won) {
    return ((BecameHolder) won.holderEvents().get(0)).ballot();
  }
}
