package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.StopReason;
import dev.canopy.cloud.lease.Effects.StoppedHolding;
import dev.canopy.cloud.lease.Effects.TimerKind;
import dev.canopy.cloud.lease.LeaseMessage.LearnChosen;
import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rules P1–P6 and renewal, on proposer 1 of {1, 2, 3}, driven message by message. */
class ProposerTest {

  static final long MS = 1_000_000L;
  static final LeaseConfig CONFIG = new LeaseConfig(Set.of(1, 2, 3), 3_000, 1e-3, 10_000, 100);
  static final long HASH = CONFIG.configHash();
  static final long D_P = CONFIG.leaseDurationNanos();

  Proposer proposer = new Proposer(CONFIG, 1, 1, new SplittableRandom(1));
  EffectsBuilder out = new EffectsBuilder();

  /** Starts an attempt at {@code nowNanos} and returns its ballot. */
  long prepareAt(long nowNanos) {
    // The first attempt waits a random jitter of at most backoffMax: start early enough.
    proposer.start(nowNanos - CONFIG.backoffMaxNanos(), new EffectsBuilder());
    out = new EffectsBuilder();
    proposer.onTimer(TimerKind.RETRY, nowNanos, out);
    return lastSent(PrepareRequest.class).ballot();
  }

  void open(long ballot, int from, long nowNanos) {
    proposer.onCurrentlyOpen(new PrepareCurrentlyOpen(from, HASH, ballot), nowNanos, out);
  }

  void accept(long ballot, int from, long nowNanos) {
    proposer.onProposeAccepted(new ProposeAccepted(from, HASH, ballot), nowNanos, out);
  }

  /** Runs one whole attempt from {@code nowNanos} with acceptors 2 and 3. */
  long winAt(long nowNanos) {
    long ballot = prepareAt(nowNanos);
    open(ballot, 2, nowNanos + MS);
    open(ballot, 3, nowNanos + MS);
    accept(ballot, 2, nowNanos + 2 * MS);
    accept(ballot, 3, nowNanos + 2 * MS);
    return ballot;
  }

  <T extends LeaseMessage> T lastSent(Class<T> type) {
    T found = null;
    for (Effects.Send send : out.sends()) {
      if (type.isInstance(send.message())) {
        found = type.cast(send.message());
      }
    }
    assertThat(found).as("a %s was sent", type.getSimpleName()).isNotNull();
    return found;
  }

  boolean sent(Class<? extends LeaseMessage> type) {
    return out.sends().stream().anyMatch(s -> type.isInstance(s.message()));
  }

  BecameHolder lastBecameHolder() {
    return (BecameHolder) out.build().holderEvents().stream()
        .filter(e -> e instanceof BecameHolder).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void p1_theLeaseRunsFromWhenPrepareWasSent() {
    long ballot = prepareAt(100 * MS);
    assertThat(Ballot.nodeId(ballot)).isEqualTo(1);
    assertThat(Ballot.incarnation(ballot)).isEqualTo(1);
    open(ballot, 2, 400 * MS);
    open(ballot, 3, 400 * MS);
    accept(ballot, 2, 700 * MS);
    accept(ballot, 3, 700 * MS);
    assertThat(lastBecameHolder().deadlineNanos()).isEqualTo(100 * MS + D_P);
    assertThat(proposer.isHolder(100 * MS + D_P - 1)).isTrue();
    assertThat(proposer.isHolder(100 * MS + D_P)).isFalse();
  }

  @Test
  void p2_opensAreASetOfIdsForTheCurrentBallotOnly() {
    long ballot = prepareAt(0);
    open(ballot, 2, MS);
    open(ballot, 2, MS);
    open(ballot - 1, 3, MS);
    assertThat(sent(ProposeRequest.class)).as("a duplicate and a stale answer are no quorum").isFalse();
    open(ballot, 3, MS);
    assertThat(lastSent(ProposeRequest.class)).isEqualTo(new ProposeRequest(1, HASH, ballot, 1, 3_000));
  }

  @Test
  void p2_countingAnswersInsteadOfIdsIsTheKnownBug() {
    proposer = new Proposer(CONFIG, 1, 1, new SplittableRandom(1), EnumSet.of(KnownBug.COUNT_ANSWERS_NOT_IDS));
    long ballot = prepareAt(0);
    open(ballot, 2, MS);
    open(ballot, 2, MS);
    assertThat(sent(ProposeRequest.class)).isTrue();
  }

  @Test
  void p2_ourOwnLiveLeaseIsOpenOnlyForTheExactLeaseWeRenew() {
    long stale = Ballot.of(1, 0, 1);
    long ballot = prepareAt(0);
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(2, HASH, ballot, stale, 1, D_P), MS, out);
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(3, HASH, ballot, stale, 1, D_P), MS, out);
    assertThat(sent(ProposeRequest.class)).as("not renewing: a record of ours is a stale one").isFalse();

    proposer = new Proposer(CONFIG, 1, 1, new SplittableRandom(1));
    long held = winAt(0);
    out = new EffectsBuilder();
    proposer.onTimer(TimerKind.RENEW, D_P - CONFIG.renewLeadNanos(), out);
    long renewal = lastSent(PrepareRequest.class).ballot();
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(2, HASH, renewal, stale, 1, D_P), D_P / 2 + MS, out);
    assertThat(sent(ProposeRequest.class)).as("renewing, but another ballot of ours").isFalse();
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(3, HASH, renewal, held, 1, D_P), D_P / 2 + MS, out);
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(2, HASH, renewal, held, 1, D_P), D_P / 2 + MS, out);
    assertThat(sent(ProposeRequest.class)).as("the lease being renewed counts as open").isTrue();
  }

  @Test
  void p3_noProposeOnceTheAttemptDeadlineHasPassed() {
    long ballot = prepareAt(0);
    open(ballot, 2, D_P);
    open(ballot, 3, D_P);
    assertThat(sent(ProposeRequest.class)).isFalse();
  }

  @Test
  void p1_startingTheTimerAtTheQuorumIsTheKnownBug() {
    proposer = new Proposer(CONFIG, 1, 1, new SplittableRandom(1), EnumSet.of(KnownBug.TIMER_AT_QUORUM));
    long ballot = prepareAt(0);
    open(ballot, 2, 2 * D_P);
    open(ballot, 3, 2 * D_P);
    assertThat(sent(ProposeRequest.class)).as("a quorum two leases old still proposes").isTrue();
  }

  @Test
  void p2_droppingTheRenewalQualifierIsTheKnownBug() {
    proposer = new Proposer(CONFIG, 1, 1, new SplittableRandom(1), EnumSet.of(KnownBug.NO_RENEWAL_QUALIFIER));
    long stale = Ballot.of(1, 0, 1);
    long ballot = prepareAt(0);
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(2, HASH, ballot, stale, 1, D_P), MS, out);
    proposer.onPreviouslyAccepted(new PreparePreviouslyAccepted(3, HASH, ballot, stale, 1, D_P), MS, out);
    assertThat(sent(ProposeRequest.class)).as("a stale record of ours counts as open").isTrue();
  }

  @Test
  void p4_acceptsFromAQuorumOfDistinctIdsBeforeTheDeadline() {
    long ballot = prepareAt(0);
    open(ballot, 2, MS);
    open(ballot, 3, MS);
    accept(ballot, 2, 2 * MS);
    accept(ballot, 2, 2 * MS);
    assertThat(out.build().holderEvents()).isEmpty();
    accept(ballot, 3, D_P);
    assertThat(out.build().holderEvents()).as("the deadline is checked in the handler").isEmpty();
    assertThat(proposer.isHolder(D_P)).isFalse();
  }

  @Test
  void p4_becomesHolderAndAnnouncesIt() {
    long ballot = winAt(0);
    BecameHolder became = lastBecameHolder();
    assertThat(became.ballot()).isEqualTo(ballot);
    assertThat(became.freshAcquisition()).isTrue();
    assertThat(became.acceptorIds()).containsExactly(2, 3);
    assertThat(lastSent(LearnChosen.class).remainingNanos()).isEqualTo(D_P - 2 * MS);
  }

  @Test
  void p5_aFailedAttemptRetriesWithAHigherBallotThanAnySeen() {
    long ballot = prepareAt(0);
    long seen = Ballot.of(40, 3, 2);
    proposer.onPrepareRejected(new PrepareRejected(2, HASH, ballot, seen), MS, out);
    proposer.onPrepareRejected(new PrepareRejected(3, HASH, ballot, seen), MS, out);
    Effects effects = out.build();
    Effects.TimerRequest retry = effects.timers().stream().filter(t -> t.kind() == TimerKind.RETRY).reduce((a, b) -> b).orElseThrow();
    assertThat(retry.deadlineNanos()).isGreaterThanOrEqualTo(MS + CONFIG.backoffMinNanos());
    out = new EffectsBuilder();
    proposer.onTimer(TimerKind.RETRY, retry.deadlineNanos(), out);
    assertThat(lastSent(PrepareRequest.class).ballot()).isGreaterThan(seen);
    // Late answers for the abandoned ballot change nothing.
    open(ballot, 2, retry.deadlineNanos());
    open(ballot, 3, retry.deadlineNanos());
    assertThat(sent(ProposeRequest.class)).isFalse();
  }

  @Test
  void p6_releaseStopsHoldingAbandonsTheAttemptAndNamesBothBallots() {
    long held = winAt(0);
    out = new EffectsBuilder();
    proposer.onTimer(TimerKind.RENEW, D_P - CONFIG.renewLeadNanos(), out);
    long renewal = lastSent(PrepareRequest.class).ballot();
    open(renewal, 2, D_P - CONFIG.renewLeadNanos() + MS);
    open(renewal, 3, D_P - CONFIG.renewLeadNanos() + MS);
    out = new EffectsBuilder();
    long now = D_P - CONFIG.renewLeadNanos() + 2 * MS;
    proposer.release(3, now, out);
    assertThat(out.build().holderEvents()).containsExactly(new StoppedHolding(held, StopReason.RELEASED));
    assertThat(lastSent(Release.class)).isEqualTo(new Release(1, HASH, held, renewal, 1, 3));
    accept(renewal, 2, now + MS);
    accept(renewal, 3, now + MS);
    assertThat(proposer.isHolder(now + MS)).as("a late accept must not make us holder again").isFalse();
  }

  @Test
  void p6_theSuccessorProposesAtOnceAndTheOthersWait() {
    proposer.start(0, out);
    out = new EffectsBuilder();
    proposer.onRelease(new Release(2, HASH, Ballot.of(5, 1, 2), Ballot.NONE, 2, 1), 10 * MS, out);
    assertThat(sent(PrepareRequest.class)).isTrue();

    Proposer other = new Proposer(CONFIG, 3, 1, new SplittableRandom(1));
    other.start(0, new EffectsBuilder());
    EffectsBuilder otherOut = new EffectsBuilder();
    other.onRelease(new Release(2, HASH, Ballot.of(5, 1, 2), Ballot.NONE, 2, 1), 10 * MS, otherOut);
    Effects effects = otherOut.build();
    assertThat(effects.sends()).isEmpty();
    assertThat(effects.timers()).singleElement().satisfies(t -> {
      assertThat(t.kind()).isEqualTo(TimerKind.RETRY);
      assertThat(t.deadlineNanos()).isGreaterThanOrEqualTo(10 * MS + CONFIG.successorWaitNanos());
    });
  }

  @Test
  void renewalExtendsTheLeaseOnlyIfItCompletesBeforeTheDeadline() {
    winAt(0);
    long renewAt = D_P - CONFIG.renewLeadNanos();
    out = new EffectsBuilder();
    proposer.onTimer(TimerKind.RENEW, renewAt, out);
    long renewal = lastSent(PrepareRequest.class).ballot();
    open(renewal, 2, renewAt + MS);
    open(renewal, 3, renewAt + MS);
    accept(renewal, 2, renewAt + 2 * MS);
    accept(renewal, 3, renewAt + 2 * MS);
    BecameHolder renewed = lastBecameHolder();
    assertThat(renewed.freshAcquisition()).isFalse();
    assertThat(renewed.deadlineNanos()).isEqualTo(renewAt + D_P);

    // The next renewal completes only after the (new) deadline: it is a fresh acquisition.
    long deadline = renewed.deadlineNanos();
    long nextRenewAt = deadline - CONFIG.renewLeadNanos();
    out = new EffectsBuilder();
    proposer.onTimer(TimerKind.RENEW, nextRenewAt, out);
    long late = lastSent(PrepareRequest.class).ballot();
    open(late, 2, nextRenewAt + MS);
    open(late, 3, nextRenewAt + MS);
    accept(late, 2, deadline + MS);
    accept(late, 3, deadline + MS);
    Effects effects = out.build();
    assertThat(effects.holderEvents()).first().isInstanceOf(StoppedHolding.class);
    assertThat(lastBecameHolder().freshAcquisition()).isTrue();
  }

  @Test
  void aLearnedLeaseDefersTheNextAttemptPastItsExclusion() {
    proposer.start(0, out);
    out = new EffectsBuilder();
    proposer.onLearnChosen(new LearnChosen(2, HASH, 2, D_P), 0, out);
    Effects.TimerRequest retry = out.build().timers().get(0);
    assertThat(retry.deadlineNanos()).isGreaterThanOrEqualTo(CONFIG.exclusionForRemainingNanos(D_P));
  }
}
