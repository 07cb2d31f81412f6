package dev.canopy.storage.kv.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ring.Ring;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A round of exchanges covers every pair of replicas sharing a preference list, and only those. */
class AntiEntropyTargetsTest {

  static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");

  @Test
  void everyPairOfReplicasOfEveryPreferenceListIsComparedByBothOwners() {
    Ring ring = Ring.create(NODES, 16, 3);
    Set<String> seen = new HashSet<>();
    for (String node : NODES) {
      List<AntiEntropy.Target> round = AntiEntropy.targets(ring, node);
      assertThat(round).hasSize(ring.partitionsOwnedBy(node).size() * 3 * 2);
      for (AntiEntropy.Target t : round) {
        assertThat(ring.owner(t.partition())).isEqualTo(node);
        assertThat(ring.owner(t.peerPartition())).isEqualTo(t.peer());
        assertThat(inList(t.tree(), t.partition(), 16)).isTrue();
        assertThat(inList(t.tree(), t.peerPartition(), 16)).isTrue();
        assertThat(seen.add(t.tree() + " " + t.partition() + "->" + t.peerPartition())).isTrue();
      }
    }
    // 16 preference lists of 3 partitions: 3 pairs each, compared from both ends.
    assertThat(seen).hasSize(16 * 3 * 2);
  }

  @Test
  void aBucketWithAnotherNValGetsTreesOfItsOwn() {
    Ring ring = Ring.create(NODES, 16, 3).withBucketProps("solo", new BucketProps(1,
        Quorum.ONE, Quorum.ONE, Quorum.ONE, Quorum.of(0), Quorum.of(0), false, false))
        .withBucketProps("wide", new BucketProps(5, Quorum.MAJORITY, Quorum.MAJORITY,
            Quorum.MAJORITY, Quorum.of(0), Quorum.of(0), false, false));
    List<AntiEntropy.Target> round = AntiEntropy.targets(ring, "n1");
    // n_val 1 has no second replica to compare with; n_val 5 lists hold 5 × 4 pairs per partition.
    assertThat(round).noneMatch(t -> t.tree().n() == 1);
    assertThat(round.stream().filter(t -> t.tree().n() == 5))
        .hasSize(ring.partitionsOwnedBy("n1").size() * 5 * 4);
  }

  private static boolean inList(TreeId tree, int partition, int partitions) {
    return Math.floorMod(partition - tree.home(), partitions) < tree.n();
  }
}
