package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.lease.LeaseConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real lease services over mutual TLS change their controller set while running: a fourth
 * controller joins, then the first one leaves, each change adopted by every controller (docs/
 * paxoslease.md, "Changing the controller set"). Sampled all along for two holders at once.
 */
class LeaseReconfigurationTest {

  private static final LeaseConfig THREE = new LeaseConfig(Set.of(1, 2, 3), 1_000, 1e-3, 2_000, 100);
  private static final Duration GENEROUS = Duration.ofSeconds(15);
  private static final Duration POLL = Duration.ofMillis(5);

  private final LeaseTestPki pki = new LeaseTestPki();
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    LeaseTransportTest.join(vertx.close());
  }

  @Test
  void aJoinThenALeaveEndWithOneHolderOfTheNewestSetAndNeverTwo() throws Exception {
    try (LeaseGroup group = new LeaseGroup(vertx, pki, THREE, LeaseClocks.system(), 17)) {
      group.start();
      await().atMost(GENEROUS).pollInterval(POLL).until(() -> group.soleHolder().isPresent());

      LeaseConfig four = THREE.withControllers(Set.of(1, 2, 3, 4), 1);
      group.join(4, four);
      for (int id : THREE.ids()) {
        LeaseTransportTest.join(group.service(id).reconfigure(four));
      }
      await().atMost(GENEROUS).pollInterval(POLL).until(() -> holderUnder(group, 1).isPresent());
      assertThat(group.transport(4).reachablePeers()).containsExactlyInAnyOrder(1, 2, 3);

      LeaseConfig withoutOne = four.withControllers(Set.of(2, 3, 4), 2);
      for (int id : four.ids()) {
        LeaseTransportTest.join(group.service(id).reconfigure(withoutOne));
      }
      await().atMost(GENEROUS).pollInterval(POLL).until(() -> holderUnder(group, 2).isPresent());
      assertThat(holderUnder(group, 2)).get().isNotEqualTo(1);
      // The controller that left holds nothing and seeks nothing any more.
      await().pollDelay(Duration.ofSeconds(1)).atMost(GENEROUS).until(() -> !group.service(1).holdsLease());
      assertThat(group.violations()).isEmpty();
      assertThat(group.samples()).isGreaterThan(1_000);
    }
  }

  private static Optional<Integer> holderUnder(LeaseGroup group, long version) {
    return group.soleHolder().filter(id -> group.service(id).config().version() == version);
  }
}
