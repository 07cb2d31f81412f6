package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceStateTest {

  @Test
  void codesAndNamesAreEc2s() {
    assertThat(InstanceState.PENDING.code()).isZero();
    assertThat(InstanceState.RUNNING.code()).isEqualTo(16);
    assertThat(InstanceState.SHUTTING_DOWN.code()).isEqualTo(32);
    assertThat(InstanceState.TERMINATED.code()).isEqualTo(48);
    assertThat(InstanceState.STOPPING.code()).isEqualTo(64);
    assertThat(InstanceState.STOPPED.code()).isEqualTo(80);
    for (InstanceState s : InstanceState.values()) {
      assertThat(InstanceState.byWireName(s.wireName())).isEqualTo(s);
    }
    assertThat(InstanceState.SHUTTING_DOWN.wireName()).isEqualTo("shutting-down");
  }

  @Test
  void transitionTableIsExactlyTheDocumentedOne() {
    Map<InstanceState, Set<InstanceState>> table = Map.of(
        InstanceState.PENDING, EnumSet.of(InstanceState.RUNNING, InstanceState.TERMINATED, InstanceState.STOPPED, InstanceState.SHUTTING_DOWN),
        InstanceState.RUNNING, EnumSet.of(InstanceState.STOPPING, InstanceState.SHUTTING_DOWN),
        InstanceState.STOPPING, EnumSet.of(InstanceState.STOPPED, InstanceState.RUNNING, InstanceState.SHUTTING_DOWN),
        InstanceState.STOPPED, EnumSet.of(InstanceState.PENDING, InstanceState.SHUTTING_DOWN),
        InstanceState.SHUTTING_DOWN, EnumSet.of(InstanceState.TERMINATED),
        InstanceState.TERMINATED, EnumSet.noneOf(InstanceState.class));
    for (InstanceState from : InstanceState.values()) {
      for (InstanceState to : InstanceState.values()) {
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(table.get(from).contains(to));
      }
    }
  }

  @Test
  void everyStateCanReachTerminatedAndTerminatedIsFinal() {
    for (InstanceState s : InstanceState.values()) {
      Set<InstanceState> seen = EnumSet.of(s);
      boolean grew = true;
      while (grew) {
        grew = false;
        for (InstanceState x : EnumSet.copyOf(seen)) {
          grew |= seen.addAll(x.next());
        }
      }
      assertThat(seen).contains(InstanceState.TERMINATED);
    }
    assertThat(InstanceState.TERMINATED.next()).isEmpty();
  }
}
