package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.canopy.storage.local.LocalStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three controllers' members in one JVM: the cluster forms, and a minority can do nothing. */
class GridClusterTest {

  /** Hazelcast notices a crashed member within the heartbeat timeout; this leaves room for a slow CI. */
  private static final Duration NOTICE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestCluster cluster;

  record Note(String text) {}

  @AfterEach
  void stopMembers() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aLoneMemberHasNoMajorityUntilASecondJoins() {
    cluster = TestCluster.prepare(dir, 3);
    Grid first = cluster.start(0);
    AtomicInteger changes = new AtomicInteger();
    first.onClusterChange(changes::incrementAndGet);
    assertThat(first.memberCount()).isEqualTo(1);
    assertThat(first.hasMajority()).isFalse();
    assertThatThrownBy(() -> first.map("notes", Note.class).put("a", new Note("alone")))
        .isInstanceOf(GridUnavailableException.class).hasCauseInstanceOf(SplitBrainProtectionException.class);

    cluster.start(1);
    await().atMost(NOTICE).until(first::hasMajority);
    await().atMost(NOTICE).until(() -> changes.get() > 0);
    cluster.start(2);
    for (int i = 0; i < 3; i++) {
      Grid member = cluster.member(i);
      await().atMost(NOTICE).until(() -> member.memberCount() == 3);
      assertThat(member.hasMajority()).isTrue();
    }
  }

  @Test
  void membersShareMapsAndEveryWriteReachesTheOwnersStore() {
    cluster = TestCluster.start(dir, 3);
    cluster.member(0).map("notes", Note.class).put("a", new Note("hello"));
    assertThat(cluster.member(2).map("notes", Note.class).get("a")).contains(new Note("hello"));
    int owner = cluster.ownerOf("a", 0);
    assertThat(cluster.store(owner).get("notes", "a")).as("written through before put returned").isPresent();
  }

  @Test
  void theSurvivorOfTwoLostMembersLosesItsMajorityAndCannotReadOrWrite() {
    cluster = TestCluster.start(dir, 3);
    JsonMap<Note> notes = cluster.member(2).map("notes", Note.class);
    notes.put("a", new Note("before"));
    AtomicInteger changes = new AtomicInteger();
    cluster.member(2).onClusterChange(changes::incrementAndGet);

    cluster.stop(0);
    assertThat(cluster.member(2).hasMajority()).as("two of three are a majority").isTrue();
    notes.put("b", new Note("two of three"));
    cluster.crash(1);
    Grid survivor = cluster.member(2);
    await().atMost(NOTICE).until(() -> !survivor.hasMajority());
    assertThat(survivor.memberCount()).isEqualTo(1);
    // Listeners run on Hazelcast's event threads, a moment after the membership changed.
    await().atMost(NOTICE).untilAsserted(() -> assertThat(changes.get()).isPositive());
    assertThatThrownBy(() -> notes.put("c", new Note("alone")))
        .isInstanceOf(GridUnavailableException.class).hasCauseInstanceOf(SplitBrainProtectionException.class);
    assertThatThrownBy(() -> notes.get("a"))
        .isInstanceOf(GridUnavailableException.class).hasCauseInstanceOf(SplitBrainProtectionException.class);
  }

  @Test
  void aStandaloneMemberIsAlwaysItsOwnMajority() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (LocalStore store = LocalStore.open(dir.resolve("store"));
        Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", port, store)) {
      assertThat(grid.hasMajority()).isTrue();
      assertThat(grid.memberCount()).isEqualTo(1);
    }
  }

  @Test
  void listenersAreBounded() {
    cluster = TestCluster.prepare(dir, 3);
    Grid grid = cluster.start(0);
    IntStream.range(0, Grid.CLUSTER_LISTENERS_MAX).forEach(i -> grid.onClusterChange(() -> {}));
    assertThatThrownBy(() -> grid.onClusterChange(() -> {})).isInstanceOf(IllegalStateException.class);
  }
}
