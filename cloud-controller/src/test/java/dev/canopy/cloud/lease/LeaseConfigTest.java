package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeaseConfigTest {

  static final Set<Integer> THREE = Set.of(1, 2, 3);

  @Test
  void rejectsEachBadFieldByName() {
    assertThatThrownBy(() -> new LeaseConfig(Set.of(), 5_000, 1e-3, 10_000, 500))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("controllerIds");
    Set<Integer> tooMany = IntStream.rangeClosed(0, 255).boxed().collect(Collectors.toSet());
    assertThatThrownBy(() -> new LeaseConfig(tooMany, 5_000, 1e-3, 10_000, 500)).hasMessageContaining("controllerIds");
    assertThatThrownBy(() -> new LeaseConfig(Set.of(1, 256), 5_000, 1e-3, 10_000, 500))
        .hasMessageContaining("node id out of range");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 11_000, 1e-3, 10_000, 500)).hasMessageContaining("leaseDurationMs");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 5_000, 0.1, 10_000, 500)).hasMessageContaining("rho");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 5_000, -0.01, 10_000, 500)).hasMessageContaining("rho");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 5_000, Double.NaN, 10_000, 500)).hasMessageContaining("rho");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 6_000, 1e-3, 10_000, 2_000)).hasMessageContaining("fenceMarginMs");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 0, 1e-3, 10_000, 0)).hasMessageContaining("leaseDurationMs");
    assertThatThrownBy(() -> new LeaseConfig(THREE, 5_000, 1e-3, 0, 500)).hasMessageContaining("maxLeaseMs");
  }

  @Test
  void derivesTheTimingRules() {
    LeaseConfig config = new LeaseConfig(THREE, 5_000, 1e-3, 10_000, 500);
    assertThat(config.quorumSize()).isEqualTo(2);
    // T2: D_P (1 + rho) <= D_A (1 - rho), for the proposed duration.
    long exclusion = config.exclusionNanos(5_000);
    assertThat(5_000e6 * (1 + 1e-3)).isLessThanOrEqualTo(exclusion * (1 - 1e-3));
    assertThat(config.exclusionNanos(8_000)).isGreaterThan(exclusion);
    // T3: Q >= maxLeaseMs (1 + rho) / (1 - rho).
    assertThat((double) config.quarantineNanos()).isGreaterThanOrEqualTo(10_000e6 * (1 + 1e-3) / (1 - 1e-3));
    assertThat(config.renewLeadNanos()).isEqualTo(5_000_000_000L / 3);
    assertThat(config.successorWaitNanos()).isEqualTo(500_000_000L);
  }

  @Test
  void aGroupOfOneHasNoQuarantine() {
    assertThat(new LeaseConfig(Set.of(7), 5_000, 1e-3, 10_000, 500).quarantineNanos()).isZero();
    assertThat(new LeaseConfig(Set.of(7), 5_000, 1e-3, 10_000, 500).quorumSize()).isEqualTo(1);
  }

  @Test
  void theHashCoversTheClusterWideFieldsOnly() {
    LeaseConfig config = LeaseConfig.suggested(THREE);
    assertThat(config.configHash()).isEqualTo(LeaseConfig.suggested(Set.of(3, 2, 1)).configHash());
    assertThat(config.withLocalDuration(3_000, 100).configHash()).isEqualTo(config.configHash());
    assertThat(LeaseConfig.suggested(Set.of(1, 2, 4)).configHash()).isNotEqualTo(config.configHash());
    assertThat(new LeaseConfig(THREE, 5_000, 1e-3, 9_000, 500).configHash()).isNotEqualTo(config.configHash());
    assertThat(new LeaseConfig(THREE, 5_000, 2e-3, 10_000, 500).configHash()).isNotEqualTo(config.configHash());
  }

  @Test
  void eachMembershipVersionHasItsOwnHashAndVersionZeroKeepsTheOldOne() {
    LeaseConfig seeded = LeaseConfig.suggested(THREE);
    LeaseConfig joined = seeded.withControllers(Set.of(1, 2, 3, 4), 1);
    LeaseConfig leftAgain = joined.withControllers(THREE, 2);
    assertThat(seeded.version()).isZero();
    // The same ids after a join and a leave: still another hash, so no message of version 0 counts.
    assertThat(leftAgain.configHash()).isNotEqualTo(seeded.configHash()).isNotEqualTo(joined.configHash());
    assertThat(new LeaseConfig(THREE, 5_000, 1e-3, 10_000, 500, 0).configHash()).isEqualTo(seeded.configHash());
    assertThatThrownBy(() -> joined.withControllers(THREE, 1)).hasMessageContaining("version");
  }

  @Test
  void aGroupOfOneLeftByALeaveKeepsItsRestartQuarantine() {
    LeaseConfig alone = new LeaseConfig(Set.of(7), 5_000, 1e-3, 10_000, 500);
    assertThat(alone.quarantineNanos()).isZero();
    LeaseConfig leftAlone = LeaseConfig.suggested(Set.of(7, 8)).withControllers(Set.of(7), 1);
    assertThat(leftAlone.quarantineNanos()).isEqualTo(leftAlone.reconfigurationQuarantineNanos()).isPositive();
    assertThat(alone.reconfigurationQuarantineNanos()).isPositive();
  }
}
