package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.lease.LeaseMessage.PrepareCurrentlyOpen;
import dev.canopy.cloud.lease.LeaseMessage.PreparePreviouslyAccepted;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRejected;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import dev.canopy.cloud.lease.LeaseMessage.ProposeAccepted;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRejected;
import dev.canopy.cloud.lease.LeaseMessage.ProposeRequest;
import dev.canopy.cloud.lease.LeaseMessage.Release;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules A0–A4, one at a time, on acceptor 3 of {1, 2, 3}. */
class AcceptorTest {

  static final long MS = 1_000_000L;
  static final LeaseConfig CONFIG = new LeaseConfig(Set.of(1, 2, 3), 2_000, 1e-3, 10_000, 100);
  static final long HASH = CONFIG.configHash();
  static final long B1 = Ballot.of(1, 1, 1);
  static final long B2 = Ballot.of(2, 1, 2);
  static final long B3 = Ballot.of(3, 1, 1);

  final Acceptor acceptor = new Acceptor(CONFIG, 3);

  Optional<LeaseMessage> prepare(long ballot, int from, long nowNanos) {
    return acceptor.onPrepare(new PrepareRequest(from, HASH, ballot), nowNanos);
  }

  Optional<LeaseMessage> propose(long ballot, int owner, long durationMs, long nowNanos) {
    return acceptor.onPropose(new ProposeRequest(owner, HASH, ballot, owner, durationMs), nowNanos);
  }

  @Test
  void a0_aLeaseIsForgottenOnceItsExclusionHasPassed() {
    propose(B1, 1, 2_000, 0);
    long exclusion = CONFIG.exclusionNanos(2_000);
    assertThat(prepare(B2, 2, exclusion - 1)).get().isInstanceOf(PreparePreviouslyAccepted.class);
    assertThat(prepare(B3, 1, exclusion)).get().isInstanceOf(PrepareCurrentlyOpen.class);
    assertThat(acceptor.acceptedBallot()).isEqualTo(Ballot.NONE);
  }

  @Test
  void a1_rejectsBallotsBelowThePromiseAndReportsTheLiveLease() {
    assertThat(prepare(B2, 2, 0)).contains(new PrepareCurrentlyOpen(3, HASH, B2));
    assertThat(prepare(B1, 1, 1)).contains(new PrepareRejected(3, HASH, B1, B2));
    assertThat(acceptor.promisedBallot()).isEqualTo(B2);
    propose(B2, 2, 2_000, 10 * MS);
    PreparePreviouslyAccepted reply = (PreparePreviouslyAccepted) prepare(B3, 1, 110 * MS).orElseThrow();
    assertThat(reply.owner()).isEqualTo(2);
    assertThat(reply.acceptedBallot()).isEqualTo(B2);
    // Relative, never a timestamp: what is left of the exclusion on this acceptor's clock.
    assertThat(reply.remainingNanos()).isEqualTo(CONFIG.exclusionNanos(2_000) - 100 * MS);
    assertThat(acceptor.promisedBallot()).isEqualTo(B3);
  }

  @Test
  void a2_rejectsLowBallotsAndOverlongDurations() {
    prepare(B2, 2, 0);
    assertThat(propose(B1, 1, 2_000, 1)).contains(new ProposeRejected(3, HASH, B1, B2));
    assertThat(propose(B2, 2, 10_001, 2)).get().isInstanceOf(ProposeRejected.class);
    assertThat(propose(B2, 2, 10_000, 3)).contains(new ProposeAccepted(3, HASH, B2));
  }

  @Test
  void a2_refusesToReplaceALiveLeaseOfAnotherOwnerButRenewsItsOwner() {
    propose(B1, 1, 2_000, 0);
    assertThat(propose(B2, 2, 2_000, MS)).get().isInstanceOf(ProposeRejected.class);
    assertThat(acceptor.acceptedOwner()).isEqualTo(1);
    assertThat(propose(B3, 1, 2_000, 2 * MS)).get().isInstanceOf(ProposeAccepted.class);
    assertThat(acceptor.acceptedBallot()).isEqualTo(B3);
    assertThat(acceptor.exclusionDeadlineNanos()).isEqualTo(2 * MS + CONFIG.exclusionNanos(2_000));
  }

  @Test
  void a2_takesTheExclusionFromTheProposedDurationNotItsOwn() {
    // This acceptor's own D_P is 2 s; a peer configured with 8 s must still be covered (T2).
    propose(B1, 1, 8_000, 0);
    assertThat(acceptor.exclusionDeadlineNanos()).isEqualTo(CONFIG.exclusionNanos(8_000));
    Acceptor buggy = new Acceptor(CONFIG, 3, EnumSet.of(KnownBug.EXCLUSION_FROM_LOCAL_DURATION));
    buggy.onPropose(new ProposeRequest(1, HASH, B1, 1, 8_000), 0);
    assertThat(buggy.exclusionDeadlineNanos()).isEqualTo(CONFIG.exclusionNanos(2_000));
  }

  @Test
  void a3_clearsOnlyTheExactOwnerAndBallotReleased() {
    propose(B3, 1, 2_000, 0);
    acceptor.onRelease(new Release(1, HASH, B1, Ballot.NONE, 1, 2), MS);
    assertThat(acceptor.acceptedBallot()).as("a stale release of an older ballot").isEqualTo(B3);
    acceptor.onRelease(new Release(2, HASH, B3, Ballot.NONE, 2, 1), MS);
    assertThat(acceptor.acceptedBallot()).as("another owner's release").isEqualTo(B3);
    acceptor.onRelease(new Release(1, HASH, B1, B3, 1, 2), MS);
    assertThat(acceptor.acceptedBallot()).as("the abandoned ballot matches").isEqualTo(Ballot.NONE);

    Acceptor buggy = new Acceptor(CONFIG, 3, EnumSet.of(KnownBug.OWNER_ONLY_RELEASE));
    buggy.onPropose(new ProposeRequest(1, HASH, B3, 1, 2_000), 0);
    buggy.onRelease(new Release(1, HASH, B1, Ballot.NONE, 1, 2), MS);
    assertThat(buggy.acceptedBallot()).isEqualTo(Ballot.NONE);
  }

  @Test
  void a4_aRestartedAcceptorIgnoresEverythingUntilQuarantineEnds() {
    acceptor.startQuarantine(0);
    long q = CONFIG.quarantineNanos();
    assertThat(prepare(B1, 1, q - 1)).isEmpty();
    assertThat(propose(B1, 1, 2_000, q - 1)).isEmpty();
    acceptor.onRelease(new Release(1, HASH, B1, Ballot.NONE, 1, 2), q - 1);
    assertThat(acceptor.promisedBallot()).isEqualTo(Ballot.NONE);
    assertThat(prepare(B1, 1, q)).get().isInstanceOf(PrepareCurrentlyOpen.class);
  }

  @Test
  void a4_aGroupOfOneSkipsQuarantine() {
    LeaseConfig single = new LeaseConfig(Set.of(3), 2_000, 1e-3, 10_000, 100);
    Acceptor alone = new Acceptor(single, 3);
    alone.startQuarantine(0);
    assertThat(alone.isQuarantined(0)).isFalse();
    assertThat(alone.onPrepare(new PrepareRequest(3, single.configHash(), B3), 0)).isPresent();
  }
}
