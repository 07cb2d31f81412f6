package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.lease.Effects.StopReason;
import dev.canopy.cloud.lease.LeaseConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real controllers in one JVM: three {@link LeaseService}s over mutual TLS on loopback with short
 * leases (D_P 1 s, maxLease 2 s, so a restart quarantine of about 2 s). Timings are printed as
 * figures; the assertions hold generous bounds.
 */
class LeaseServiceTest {

  private static final LeaseConfig THREE = new LeaseConfig(Set.of(1, 2, 3), 1_000, 1e-3, 2_000, 100);
  private static final LeaseConfig ONE = new LeaseConfig(Set.of(1), 1_000, 1e-3, 2_000, 100);
  private static final Duration GENEROUS = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(2);

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
  void threeControllersElectOneHolderAndAnotherTakesOverWhenItStops() throws Exception {
    try (LeaseGroup group = new LeaseGroup(vertx, pki, THREE, LeaseClocks.system(), 42)) {
      long startedNanos = System.nanoTime();
      group.start();
      await().atMost(GENEROUS).pollInterval(POLL).until(() -> group.soleHolder().isPresent());
      System.out.printf("lease figures: first holder %d ms after start (restart quarantine %d ms)%n",
          msSince(startedNanos), THREE.quarantineNanos() / 1_000_000);
      await().atMost(GENEROUS).until(() -> allReachAll(group));

      // Several renewals (one every ~2/3 s) go by, sampled for two holders all along.
      await().pollDelay(Duration.ofSeconds(3)).atMost(GENEROUS).until(() -> group.soleHolder().isPresent());
      int holder = group.soleHolder().orElseThrow();
      int other = THREE.ids().stream().filter(id -> id != holder).findFirst().orElseThrow();
      group.service(holder).setEpoch(7);
      await().atMost(GENEROUS).untilAsserted(() -> {
        LeaseStatus held = group.service(holder).status();
        assertThat(held.holder()).isEqualTo(holder);
        assertThat(held.epoch()).isEqualTo(7);
        assertThat(held.remainingMs()).isBetween(0L, THREE.leaseDurationMs());
        assertThat(held.acceptorsReachable()).containsExactly(1, 2, 3);
        LeaseStatus seen = group.service(other).status();
        assertThat(seen.holder()).as("learned from LearnChosen").isEqualTo(holder);
        assertThat(seen.remainingMs()).as("only the holder reports time left").isNull();
        assertThat(LeaseStatusJson.render(seen)).isEqualTo(
            "{\"holder\": " + holder + ", \"epoch\": 0, \"remainingMs\": null, \"acceptors\": [1, 2, 3], \"quarantineMs\": 0}");
      });

      long stoppedNanos = System.nanoTime();
      LeaseTransportTest.join(group.service(holder).close());
      await().atMost(GENEROUS).pollInterval(POLL).until(() -> group.soleHolder().filter(id -> id != holder).isPresent());
      System.out.printf("lease figures: failover %d ms after the holder stopped (D_A = %d ms)%n",
          msSince(stoppedNanos), THREE.exclusionNanos(THREE.leaseDurationMs()) / 1_000_000);

      assertThat(group.violations()).isEmpty();
      assertThat(group.holders()).hasSize(1);
      System.out.printf("lease figures: %d samples of who holds, none with two holders%n", group.samples());
    }
  }

  @Test
  void aReleaseHandsTheLeaseToTheNamedSuccessorWithinASecond() throws Exception {
    try (LeaseGroup group = new LeaseGroup(vertx, pki, THREE, LeaseClocks.system(), 7)) {
      group.start();
      await().atMost(GENEROUS).pollInterval(POLL).until(() -> group.soleHolder().isPresent() && allReachAll(group));
      int holder = group.soleHolder().orElseThrow();
      int successor = THREE.ids().stream().filter(id -> id != holder).reduce((a, b) -> b).orElseThrow();

      long releasedNanos = System.nanoTime();
      LeaseTransportTest.join(group.service(holder).release(successor));
      assertThat(group.service(holder).holdsLease()).as("stops holding before the Release leaves").isFalse();
      await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> group.service(successor).holdsLease());
      System.out.printf("lease figures: handover from %d to %d in %.1f ms%n", holder, successor,
          (System.nanoTime() - releasedNanos) / 1e6);

      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> group.soleHolder().equals(Optional.of(successor)));
      assertThat(group.violations()).isEmpty();
    }
  }

  @Test
  void aGroupOfOneHoldsTheLeaseAtOnce() throws Exception {
    try (LeaseGroup group = new LeaseGroup(vertx, pki, ONE, LeaseClocks.system(), 1)) {
      long startedNanos = System.nanoTime();
      group.start();
      await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> group.service(1).holdsLease());
      System.out.printf("lease figures: a group of one holds the lease %d ms after start%n", msSince(startedNanos));
      LeaseStatus status = group.service(1).status();
      assertThat(status.holder()).isEqualTo(1);
      assertThat(status.remainingMs()).isNotNull();
      assertThat(status.acceptorsReachable()).containsExactly(1);
      long deadlineNanos = group.service(1).holderDeadlineNanos().orElseThrow();
      assertThat(deadlineNanos - System.nanoTime()).isBetween(0L, ONE.leaseDurationNanos());
    }
  }

  @Test
  void aJumpOfUptimeOverTheMonotonicClockDropsTheLease() throws Exception {
    AtomicLong suspendedNanos = new AtomicLong();
    LeaseClocks clocks = new LeaseClocks(System::nanoTime, InstantSource.system(),
        () -> (System.nanoTime() + suspendedNanos.get()) / 1e9);
    List<StopReason> stops = new CopyOnWriteArrayList<>();
    try (LeaseGroup group = new LeaseGroup(vertx, pki, ONE, clocks, 3)) {
      group.service(1).onStoppedHolding(stopped -> stops.add(stopped.reason()));
      group.start();
      await().atMost(GENEROUS).until(() -> group.service(1).holdsLease());

      suspendedNanos.addAndGet(Duration.ofSeconds(5).toNanos()); // as if the machine slept 5 s
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(1)).until(() -> stops.contains(StopReason.SUSPENDED));
      // A group of one has no quarantine: it wins a fresh lease after one backoff.
      await().atMost(GENEROUS).until(() -> group.service(1).holdsLease());
      assertThat(stops).contains(StopReason.SUSPENDED);
    }
  }

  private static boolean allReachAll(LeaseGroup group) {
    return group.config().ids().stream().allMatch(id -> group.service(id).status().acceptorsReachable().size() == 3);
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * The controller set changes while the services run: a fourth controller joins, then the first
   * leaves, each change adopted by every controller (docs/paxoslease.md, "Changing the controller
   * set"). Sampled all along for two holders at once.
   */
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
