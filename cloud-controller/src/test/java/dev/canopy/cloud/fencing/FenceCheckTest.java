package dev.canopy.cloud.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FenceCheckTest {

  private static final long MS = 1_000_000L;

  @Test
  void anEpochIsUsableOnlyUntilTheMarginBeforeTheDeadline() {
    long deadline = 10_000 * MS;
    assertThat(FenceCheck.mayUseEpoch(deadline, 9_499 * MS, 500)).isTrue();
    assertThat(FenceCheck.mayUseEpoch(deadline, 9_500 * MS - 1, 500)).isTrue();
    assertThat(FenceCheck.mayUseEpoch(deadline, 9_500 * MS, 500)).as("strictly before").isFalse();
    assertThat(FenceCheck.mayUseEpoch(deadline, 11_000 * MS, 500)).isFalse();
    assertThat(FenceCheck.mayUseEpoch(deadline, deadline - 1, 0)).isTrue();
  }

  @Test
  void monotonicReadingsThatWrapStillCompare() {
    long deadline = Long.MIN_VALUE + 100 * MS; // just past the wrap
    assertThat(FenceCheck.mayUseEpoch(deadline, Long.MAX_VALUE - 100 * MS, 50)).isTrue();
    assertThat(FenceCheck.mayUseEpoch(deadline, deadline, 50)).isFalse();
  }

  @Test
  void aNegativeMarginIsABug() {
    assertThatThrownBy(() -> FenceCheck.mayUseEpoch(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
