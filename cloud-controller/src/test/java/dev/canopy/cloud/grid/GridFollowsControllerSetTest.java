package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller's grid member follows the controller set at run time ({@link Grid#followControllers}):
 * a controller the set gains is let in, and the split-brain minimum is a majority of the set as it
 * is now. Members listen on 127.0.0.21-.23, apart from the other grid tests' addresses.
 */
class GridFollowsControllerSetTest {

  private static final String[] HOSTS = {"127.0.0.21", "127.0.0.22", "127.0.0.23"};
  private static final int[] PORTS = {15721, 15722, 15723};
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final String name = GridName.of(MasterKey.generate(new SecureRandom()));
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void aControllerTheSetGainsIsLetIntoTheCluster() {
    Grid first = start(0, 2);
    Grid second = start(1, 2);
    await().atMost(WAIT).until(() -> first.memberCount() == 2 && first.hasMajority());
    first.map("accounts", String.class).put("acme", "before the join");

    assertThat(first.followControllers(members(3))).isTrue();
    assertThat(second.followControllers(members(3))).isTrue();
    Grid third = start(2, 3);

    await().atMost(WAIT).until(() -> first.memberCount() == 3 && second.memberCount() == 3 && third.memberCount() == 3);
    await().atMost(WAIT).until(third::hasMajority);
    assertThat(third.map("accounts", String.class).get("acme")).contains("before the join");
  }

  @Test
  void theMajorityIsOfTheSetAsItIsNow() {
    Grid first = start(0, 2);
    Grid second = start(1, 2);
    await().atMost(WAIT).until(() -> first.memberCount() == 2 && first.hasMajority() && second.hasMajority());

    // Two members of a set of four are not a majority: the grid stops serving within a heartbeat or so.
    List<String> four = new ArrayList<>(members(3));
    four.add("127.0.0.24:15724");
    first.followControllers(four);
    second.followControllers(four);
    await().atMost(WAIT).until(() -> !first.hasMajority() && !second.hasMajority());

    // Back to a set of two: a majority again, with no member joining or leaving.
    first.followControllers(members(2));
    second.followControllers(members(2));
    await().atMost(WAIT).until(() -> first.hasMajority() && second.hasMajority());
  }

  @Test
  void aStandaloneMemberFollowsNothing() {
    LocalStore store = LocalStore.open(dir.resolve("alone"));
    open.add(store);
    Grid alone = Grid.startStandalone(name, HOSTS[0], 15729, store);
    open.add(alone);

    assertThat(alone.followControllers(members(2))).isFalse();
    assertThat(alone.hasMajority()).isTrue();
  }

  private Grid start(int i, int controllers) {
    LocalStore store = LocalStore.open(dir.resolve("member-" + i));
    open.add(store);
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    try {
      Grid grid = Grid.startMember(new GridClusterSettings(name, HOSTS[i], PORTS[i], members(controllers), controllers,
          TestCluster.LEASE), store);
      open.add(grid);
      return grid;
    } finally {
      System.clearProperty("hazelcast.wait.seconds.before.join");
    }
  }

  private static List<String> members(int count) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(HOSTS[i] + ":" + PORTS[i]);
    }
    return members;
  }
}
