package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.InternalPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller set grown from three to five keeps one backup of each entry (docs/cluster.md): two
 * controllers lost at once can take every in-memory copy of a partition with them, though the five
 * still have a majority. The entries are in the shared store; the grid must show them again.
 */
class PartitionLossTest {

  record Thing(String id, int n) {}

  private static final int THINGS = 300;

  @TempDir Path dir;

  @Test
  void entriesOfAPartitionWhoseEveryCopyWasLostAreInTheGridAgain() {
    try (TestCluster cluster = TestCluster.startGrownSharingOneStore(dir, 3, 5)) {
      // Written by one of the first set, whose maps keep one backup.
      JsonMap<Thing> things = cluster.member(0).map("things", Thing.class);
      IntStream.range(0, THINGS).forEach(n -> things.put("thing-" + n, new Thing("thing-" + n, n)));

      // Two members holding every copy of some partition: its owner one of the first set's (they
      // keep one backup), not member 0, which reads after.
      int[] pair = bothCopiesOnTwoMembers(cluster);
      cluster.crash(pair[0]);
      cluster.crash(pair[1]);

      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        List<Thing> visible = cluster.member(0).map("things", Thing.class).values(thing -> true);
        assertThat(visible).as("every entry the store holds, without a read of each key").hasSize(THINGS);
      });
    }
  }

  /** The owner (member 1 or 2) and the only backup (not member 0) of one partition, as member 0 sees the table. */
  private static int[] bothCopiesOnTwoMembers(TestCluster cluster) {
    HazelcastInstance viewer = Hazelcast.getHazelcastInstanceByName(
        "canopy-grid-127.0.0.1-" + cluster.settings(0).port());
    var partitions = ((HazelcastInstanceProxy) viewer).getOriginal().node.getPartitionService();
    for (InternalPartition partition : partitions.getInternalPartitions()) {
      int owner = memberAt(cluster, partition.getReplica(0).address().getPort());
      int backup = memberAt(cluster, partition.getReplica(1).address().getPort());
      if ((owner == 1 || owner == 2) && backup != 0) {
        return new int[] {owner, backup};
      }
    }
    throw new AssertionError("no partition of member 1 or 2 has its backup off member 0");
  }

  private static int memberAt(TestCluster cluster, int port) {
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.settings(i).port() == port) {
        return i;
      }
    }
    throw new AssertionError("no member at port " + port);
  }
}
