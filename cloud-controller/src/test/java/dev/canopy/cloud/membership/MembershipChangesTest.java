package dev.canopy.cloud.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipChangesTest {

  static final ControllerSet THREE = ControllerSet.seed(Map.of(1, "10.0.0.1", 2, "10.0.0.2", 3, "10.0.0.3"));
  static final Set<Integer> ALL = Set.of(1, 2, 3, 4, 5);

  @Test
  void aJoinAddsOneControllerUnderTheNextVersionNotYetSettled() {
    ControllerSet four = MembershipChanges.join(THREE, 4, "10.0.0.4", ALL);
    assertThat(four.controllers()).containsOnlyKeys(1, 2, 3, 4).containsEntry(4, "10.0.0.4");
    assertThat(four.version()).isEqualTo(1);
    assertThat(four.changeInProgress()).isTrue();
    assertThat(four.settledAt(1).changeInProgress()).isFalse();
    // A lease won under an older version settles nothing.
    assertThat(four.settledAt(0)).isSameAs(four);
  }

  @Test
  void theNextChangeWaitsUntilTheLastOneSettled() {
    ControllerSet four = MembershipChanges.join(THREE, 4, "10.0.0.4", ALL);
    assertRefused(() -> MembershipChanges.leave(four, 1, ALL), 409, "ChangeInProgress");
    assertRefused(() -> MembershipChanges.join(four, 5, "10.0.0.5", ALL), 409, "ChangeInProgress");
    ControllerSet three = MembershipChanges.leave(four.settledAt(1), 1, ALL);
    assertThat(three.controllers()).containsOnlyKeys(2, 3, 4);
    assertThat(three.version()).isEqualTo(2);
  }

  @Test
  void aLeaveOfAnUnknownIdIsNotFound() {
    assertRefused(() -> MembershipChanges.leave(THREE, 9, ALL), 404, "NoSuchController");
  }

  @Test
  void theLastControllerCannotLeave() {
    ControllerSet one = ControllerSet.seed(Map.of(1, "10.0.0.1"));
    assertRefused(() -> MembershipChanges.leave(one, 1, ALL), 409, "LastController");
  }

  @Test
  void aChangeThatLeavesNoReachableQuorumIsRefused() {
    // Controllers 2 and 3 are down: removing 1 would leave {2, 3} with nobody to form its quorum.
    assertRefused(() -> MembershipChanges.leave(THREE, 1, Set.of(1)), 409, "WouldLoseQuorum");
    // Removing a failed controller while the other two are up is what leave is for.
    assertThat(MembershipChanges.leave(THREE, 3, Set.of(1, 2)).controllers()).containsOnlyKeys(1, 2);
    // Two of three down: a fourth would need three of four, and only 1 and the newcomer are up.
    assertRefused(() -> MembershipChanges.join(THREE, 4, "10.0.0.4", Set.of(1)), 409, "WouldLoseQuorum");
  }

  @Test
  void aJoinRefusesAnIdOrAddressAlreadyThereAndBadValues() {
    assertRefused(() -> MembershipChanges.join(THREE, 2, "10.0.0.9", ALL), 409, "ControllerAlreadyMember");
    assertRefused(() -> MembershipChanges.join(THREE, 4, "10.0.0.2", ALL), 409, "AddressInUse");
    assertRefused(() -> MembershipChanges.join(THREE, 0, "10.0.0.4", ALL), 400, "InvalidParameterValue");
    assertRefused(() -> MembershipChanges.join(THREE, 256, "10.0.0.4", ALL), 400, "InvalidParameterValue");
    assertRefused(() -> MembershipChanges.join(THREE, 4, " ", ALL), 400, "InvalidParameterValue");
  }

  private static void assertRefused(Runnable change, int status, String code) {
    assertThatThrownBy(change::run).isInstanceOfSatisfying(MembershipRefused.class, refused -> {
      assertThat(refused.code()).isEqualTo(code);
      assertThat(refused.httpStatus()).isEqualTo(status);
      assertThat(refused.getMessage()).isNotBlank();
    });
  }
}
