package dev.canopy.cloud.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The derivation rule of {@link LeaseTiming}, figure by figure, and the combinations it refuses. */
class LeaseTimingDerivationTest {

  @Test
  void theDefaultsGiveALeaseOfAboutFiveSecondsAndABoundWithinTheTarget() {
    LeaseTiming timing = LeaseTiming.defaults();
    assertThat(timing.leaseDurationMs()).isEqualTo(5_075);
    assertThat(timing.maxLeaseMs()).isEqualTo(5_075);
    assertThat(timing.fenceMarginMs()).isEqualTo(200);
    assertThat(timing.failoverBoundNanos()).isLessThanOrEqualTo(5_800_000_000L);
    // The largest such lease: one millisecond more would break the target.
    assertThat(LeaseTiming.boundNanos(5_076, 25, 1e-3)).isGreaterThan(5_800_000_000L);
    LeaseConfig config = timing.config(Set.of(1, 2, 3));
    assertThat(config.leaseDurationMs()).isEqualTo(5_075);
    // The quarantine follows the maximum lease: about D_P, no longer 2·D_P.
    assertThat(config.quarantineNanos()).isBetween(5_075_000_000L, 5_090_000_000L);
  }

  @Test
  void aTwoAndAHalfSecondTargetGivesALeaseOfAboutTwoSeconds() {
    LeaseTiming timing = new LeaseTiming(25, 1e-3, 2_500);
    assertThat(timing.leaseDurationMs()).isEqualTo(2_084);
    assertThat(timing.failoverBoundNanos()).isLessThanOrEqualTo(2_500_000_000L);
    assertThat(LeaseTiming.boundNanos(2_085, 25, 1e-3)).isGreaterThan(2_500_000_000L);
    assertThat(timing.config(Set.of(1, 2, 3)).quarantineNanos()).isBetween(2_084_000_000L, 2_090_000_000L);
  }

  @Test
  void theBoundIsExclusionAndTwoJittersOnTheSlowestClockPlusFourRoundTrips() {
    // D_P 2,000 ms, δ 10 ms, ρ 0: (2,000 + 1 + 2·100) ms + 4·20 ms.
    assertThat(LeaseTiming.boundNanos(2_000, 10, 0)).isEqualTo(2_281_000_000L);
  }

  @Test
  void aLongerTargetOrAShorterDelayGivesALongerLease() {
    assertThat(new LeaseTiming(25, 1e-3, 6_000).leaseDurationMs()).isGreaterThan(LeaseTiming.defaults().leaseDurationMs());
    assertThat(new LeaseTiming(1, 1e-3, 5_800).leaseDurationMs()).isGreaterThan(LeaseTiming.defaults().leaseDurationMs());
    assertThat(new LeaseTiming(25, 0.05, 3_000).leaseDurationMs()).isLessThan(new LeaseTiming(25, 1e-3, 3_000).leaseDurationMs());
  }

  @Test
  void refusesATargetTooShortForTheGridsFailureDetection() {
    assertThatThrownBy(() -> new LeaseTiming(25, 1e-3, 2_400))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("failoverTargetMs 2400 is too short")
        .hasMessageContaining("the shortest target is 2408 ms");
    assertThatThrownBy(() -> new LeaseTiming(50, 1e-3, 2_500)).hasMessageStartingWith("failoverTargetMs");
  }

  @Test
  void refusesADelayTheRetryJitterCannotSpread() {
    // δ 50 ms, F 4 s: D_P 3,074 ms, whose jitter (153 ms) is less than two 100 ms round trips.
    assertThatThrownBy(() -> new LeaseTiming(50, 1e-3, 4_000))
        .hasMessageStartingWith("maxOneWayDelayMs 50 is too long");
    assertThat(new LeaseTiming(50, 1e-3, 5_500).leaseDurationMs()).isGreaterThanOrEqualTo(4_000);
  }

  @Test
  void refusesOutOfRangeInputs() {
    assertThatThrownBy(() -> new LeaseTiming(0, 1e-3, 2_500)).hasMessageStartingWith("maxOneWayDelayMs");
    assertThatThrownBy(() -> new LeaseTiming(25, 0.1, 2_500)).hasMessageStartingWith("rho");
    assertThatThrownBy(() -> new LeaseTiming(25, -1e-3, 2_500)).hasMessageStartingWith("rho");
    assertThatThrownBy(() -> new LeaseTiming(25, Double.NaN, 2_500)).hasMessageStartingWith("rho");
    assertThatThrownBy(() -> new LeaseTiming(25, 1e-3, 0)).hasMessageStartingWith("failoverTargetMs");
  }
}
