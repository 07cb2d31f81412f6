package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BallotTest {

  @Test
  void packsAttemptIncarnationAndNodeId() {
    long ballot = Ballot.of(12345, 678, 9);
    assertThat(Ballot.attempt(ballot)).isEqualTo(12345);
    assertThat(Ballot.incarnation(ballot)).isEqualTo(678);
    assertThat(Ballot.nodeId(ballot)).isEqualTo(9);
    assertThat(ballot).isEqualTo((12345L << 24) | (678L << 8) | 9);
    assertThat(Ballot.format(ballot)).isEqualTo("12345.678.9");
  }

  @Test
  void theAttemptCounterDominatesTheOrder() {
    assertThat(Ballot.of(2, 0, 0)).isGreaterThan(Ballot.of(1, Ballot.INCARNATION_MAX, Ballot.NODE_ID_MAX));
    assertThat(Ballot.of(1, 0, 0)).isGreaterThan(Ballot.NONE);
    // Even the largest ballot stays positive, so plain long comparison orders ballots.
    assertThat(Ballot.of(Ballot.ATTEMPT_MAX, Ballot.INCARNATION_MAX, Ballot.NODE_ID_MAX)).isPositive();
  }

  @Test
  void rejectsFieldsOutOfRange() {
    assertThatThrownBy(() -> Ballot.of(0, 1, 1)).hasMessageContaining("attempt");
    assertThatThrownBy(() -> Ballot.of(Ballot.ATTEMPT_MAX + 1, 1, 1)).hasMessageContaining("attempt");
    assertThatThrownBy(() -> Ballot.of(1, 1 << 16, 1)).hasMessageContaining("incarnation");
    assertThatThrownBy(() -> Ballot.of(1, 1, 256)).hasMessageContaining("nodeId");
  }
}
