package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings' validation and the Hazelcast values PAXOSLEASE.md derives from them. */
class GridClusterSettingsTest {

  private static final Duration LEASE = Duration.ofSeconds(5);
  private static final List<String> THREE = List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3:5701");

  private static GridClusterSettings settings(List<String> members, int controllers, Duration lease) {
    return new GridClusterSettings("cloud", "10.0.0.1", 5701, members, controllers, lease);
  }

  @Test
  void derivesTheMajorityTheBackupsAndTheHeartbeatTimeout() {
    GridClusterSettings three = settings(THREE, 3, LEASE);
    assertThat(three.majority()).isEqualTo(2);
    assertThat(three.syncBackupCount()).isEqualTo(1);
    assertThat(three.maxNoHeartbeatSeconds()).isEqualTo(5);

    List<String> five = List.of("a:1", "b:1", "c:1", "d:1", "e:1");
    assertThat(settings(five, 5, LEASE).majority()).isEqualTo(3);
    assertThat(settings(five, 5, LEASE).syncBackupCount()).isEqualTo(2);
    assertThat(settings(List.of("a:1"), 1, LEASE).syncBackupCount()).isZero();
    assertThat(settings(THREE, 3, Duration.ofMillis(2_900)).maxNoHeartbeatSeconds())
        .as("rounded down: never longer than the lease").isEqualTo(2);
  }

  @Test
  void refusesAMemberListThatIsNotEveryController() {
    assertThatThrownBy(() -> settings(THREE.subList(0, 2), 3, LEASE)).hasMessageContaining("members");
    assertThatThrownBy(() -> settings(List.of("a:1", "a:1", "b:1"), 3, LEASE)).hasMessageContaining("twice");
    assertThatThrownBy(() -> settings(List.of("a:1", "b", "c:1"), 3, LEASE)).hasMessageContaining("host:port");
    assertThatThrownBy(() -> settings(List.of("a:1", "b:0", "c:1"), 3, LEASE)).hasMessageContaining("port");
    assertThatThrownBy(() -> settings(List.of("a:1", "b:x", "c:1"), 3, LEASE)).hasMessageContaining("host:port");
  }

  @Test
  void refusesOutOfRangeValues() {
    assertThatThrownBy(() -> settings(THREE, 3, Duration.ofMillis(1_999))).hasMessageContaining("leaseDuration");
    assertThatThrownBy(() -> settings(THREE, 3, Duration.ofHours(2))).hasMessageContaining("leaseDuration");
    assertThatThrownBy(() -> settings(List.of(), 0, LEASE)).hasMessageContaining("controllers");
    List<String> fourteen = java.util.stream.IntStream.range(0, 14).mapToObj(i -> "h" + i + ":1").toList();
    assertThatThrownBy(() -> settings(fourteen, 14, LEASE)).hasMessageContaining("controllers");
    assertThatThrownBy(() -> new GridClusterSettings(" ", "10.0.0.1", 5701, THREE, 3, LEASE))
        .hasMessageContaining("clusterName");
    assertThatThrownBy(() -> new GridClusterSettings("cloud", "", 5701, THREE, 3, LEASE))
        .hasMessageContaining("bindAddress");
    assertThatThrownBy(() -> new GridClusterSettings("cloud", "10.0.0.1", 70_000, THREE, 3, LEASE))
        .hasMessageContaining("port");
  }
}
