package dev.canopy.storage.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bucket's replication properties: Riak's defaults scaled to the ring, and the combinations refused whole. */
class BucketPropsTest {

  @ParameterizedTest
  @CsvSource({"0, 1", "1, 1", "2, 2", "3, 3", "5, 3", "50, 3"})
  void theDefaultsAskForThreeReplicasOrEveryNodeWhenThereAreFewer(int storageNodes, int n) {
    BucketProps props = BucketProps.defaults(storageNodes);
    assertThat(props.nVal()).isEqualTo(n);
    // Reads and writes wait for a majority; primaries are not required; no siblings.
    assertThat(props.r().resolve(n, null)).isEqualTo(n / 2 + 1);
    assertThat(props.w().resolve(n, null)).isEqualTo(n / 2 + 1);
    assertThat(props.dw().resolve(n, null)).isEqualTo(n / 2 + 1);
    assertThat(props.pr().resolve(n, null)).isZero();
    assertThat(props.pw().resolve(n, null)).isZero();
    assertThat(props.allowMult()).isFalse();
    assertThat(props.lastWriteWins()).isFalse();
  }

  @Test
  void theCloudInABoxWritesOneReplicaAndWaitsForIt() {
    BucketProps box = BucketProps.defaults(1);
    assertThat(box.w().resolve(box.nVal(), null)).isEqualTo(1);
    assertThat(box.dw().resolve(box.nVal(), null)).isEqualTo(1);
  }

  @Test
  void nValOutsideOneToFiveIsRefused() {
    assertThatThrownBy(() -> BucketProps.defaults(3).withNVal(0)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("n_val");
    assertThatThrownBy(() -> BucketProps.defaults(3).withNVal(BucketProps.N_VAL_MAX + 1)).isInstanceOf(InvalidRequestException.class);
    assertThat(BucketProps.defaults(3).withNVal(BucketProps.N_VAL_MAX).nVal()).isEqualTo(5);
  }

  @Test
  void aQuorumAboveTheNewNValIsRefusedRatherThanWeakened() {
    BucketProps strict = new BucketProps(3, Quorum.of(3), Quorum.of(3), Quorum.of(2), Quorum.of(0), Quorum.of(0), false, false);
    assertThatThrownBy(() -> strict.withNVal(2)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("n_val of 2");
    // Words follow N instead.
    assertThat(BucketProps.defaults(3).withNVal(5).w().resolve(5, null)).isEqualTo(3);
  }

  @Test
  void siblingsAndLastWriteWinsExcludeEachOther() {
    assertThatThrownBy(() -> new BucketProps(3, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), true, true))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("allow_mult");
    assertThat(new BucketProps(3, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), true, false).allowMult())
        .isTrue();
  }

  @Test
  void aBucketCannotSayDefaultOrLeaveAQuorumOut() {
    assertThatThrownBy(() -> new BucketProps(3, Quorum.DEFAULT, Quorum.MAJORITY, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), false, false))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new BucketProps(3, Quorum.MAJORITY, null, Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), false, false))
        .isInstanceOf(InvalidRequestException.class);
  }
}
