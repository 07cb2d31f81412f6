package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing but a controller reads or writes the grid, even knowing its cluster name: a Hazelcast
 * client finds no endpoint to speak to, and a member started from an address that is not a
 * controller's is never let in. Members here listen on their own loopback addresses
 * (127.0.0.11, .12), as the controllers of a local cluster do; the intruders come from 127.0.0.13.
 */
class GridLockdownTest {

  private static final String FIRST = "127.0.0.11";
  private static final String SECOND = "127.0.0.12";
  private static final String INTRUDER = "127.0.0.13";
  private static final Duration JOIN = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final String name = GridName.of(MasterKey.generate(new SecureRandom()));
  private Grid first;
  private Grid second;
  private LocalStore firstStore;
  private LocalStore secondStore;
  private HazelcastInstance intruder;

  record Account(String owner) {}

  @AfterEach
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {first, second, firstStore, secondStore}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (intruder != null) {
      intruder.getLifecycleService().terminate();
    }
  }

  @Test
  void controllersOnTheirOwnAddressesFormTheirCluster() {
    startControllers();

    first.map("accounts", Account.class).put("acme", new Account("acme"));
    assertThat(second.map("accounts", Account.class).get("acme")).contains(new Account("acme"));
  }

  @Test
  void aClientThatKnowsTheClusterNameGetsNoConnection() {
    startControllers();
    ClientConfig client = new ClientConfig();
    client.setClusterName(name);
    client.setProperty("hazelcast.logging.type", "slf4j");
    client.getNetworkConfig().addAddress(FIRST + ":" + port(first), SECOND + ":" + port(second));
    client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);

    assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unable to connect");
  }

  @Test
  void aMemberFromAnotherAddressThatKnowsTheClusterNameIsNeverLetIn() {
    startControllers();
    first.map("accounts", Account.class).put("acme", new Account("acme"));

    Config rogue = new Config();
    rogue.setClusterName(name);
    rogue.setInstanceName("intruder");
    rogue.setProperty("hazelcast.logging.type", "slf4j");
    rogue.setProperty("hazelcast.phone.home.enabled", "false");
    rogue.setProperty("hazelcast.local.localAddress", INTRUDER);
    rogue.setProperty("hazelcast.socket.bind.any", "false");
    rogue.setProperty("hazelcast.socket.client.bind", "true");
    rogue.setProperty("hazelcast.socket.client.bind.any", "false");
    rogue.setProperty("hazelcast.max.join.seconds", "10");
    var network = rogue.getNetworkConfig();
    network.setPort(port(first) + 1).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(INTRUDER);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true)
        .setMembers(List.of(FIRST + ":" + port(first), SECOND + ":" + port(second)));

    try {
      intruder = Hazelcast.newHazelcastInstance(rogue);
    } catch (IllegalStateException gaveUp) {
      // Under load it may give up joining instead of forming a cluster alone: nothing either way.
      intruder = null;
    }

    if (intruder != null) {
      // Refused at every controller, it forms a cluster of its own, where no control-plane data is.
      assertThat(intruder.getCluster().getMembers()).hasSize(1);
      assertThat(intruder.<String, String>getMap("accounts").get("acme")).isNull();
      // And what it writes reaches no controller.
      intruder.<String, String>getMap("accounts").put("acme", "{\"owner\":\"mallory\"}");
    }
    assertThat(first.memberCount()).isEqualTo(2);
    assertThat(second.memberCount()).isEqualTo(2);
    assertThat(first.map("accounts", Account.class).get("acme")).contains(new Account("acme"));
  }

  @Test
  void aStandaloneMemberAcceptsNoOneAtAll() {
    firstStore = LocalStore.open(dir.resolve("alone"));
    first = Grid.startStandalone(name, FIRST, 15701, firstStore);
    ClientConfig client = new ClientConfig();
    client.setClusterName(name);
    client.getNetworkConfig().addAddress(FIRST + ":" + port(first));
    client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);

    assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
        .isInstanceOf(IllegalStateException.class);
    assertThat(first.memberCount()).isEqualTo(1);
  }

  @Test
  void theClusterNameIsDerivedFromTheMasterKeyAndRevealsNothingOfIt() {
    MasterKey key = MasterKey.generate(new SecureRandom());
    assertThat(GridName.of(key)).isEqualTo(GridName.of(MasterKey.fromBase64(key.toBase64())));
    assertThat(GridName.of(key)).isNotEqualTo(GridName.of(MasterKey.generate(new SecureRandom())));
    assertThat(GridName.of(key)).doesNotContain(key.toBase64()).matches("canopy-grid-[0-9a-f]{64}");
  }

  private void startControllers() {
    int[] ports = {15711, 15712};
    List<String> members = List.of(FIRST + ":" + ports[0], SECOND + ":" + ports[1]);
    firstStore = LocalStore.open(dir.resolve("first"));
    secondStore = LocalStore.open(dir.resolve("second"));
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    try {
      first = Grid.startMember(new GridClusterSettings(name, FIRST, ports[0], members, 2, TestCluster.LEASE), firstStore);
      second = Grid.startMember(new GridClusterSettings(name, SECOND, ports[1], members, 2, TestCluster.LEASE), secondStore);
    } finally {
      System.clearProperty("hazelcast.wait.seconds.before.join");
    }
    await().atMost(JOIN).until(() -> first.memberCount() == 2 && second.memberCount() == 2 && first.hasMajority());
  }

  private static int port(Grid grid) {
    String address = grid.address();
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
