package dev.canopy.cloud.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.scheduler.PlacementPolicy;
import dev.canopy.cloud.scheduler.Scheduler;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The registry is shared by every controller: a node heart-beating to one controller is AVAILABLE
 * for all of them. A controller that just started (or just took the lease) must not place on a node
 * it has no session with yet — the launch could never be sent and would end terminated.
 */
class RegistryNodesTest {

  private static final HostCapacity HOST = new HostCapacity(8, 16384, 200);
  private static final Capacity SMALL = new Capacity(1, 512, 8);
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final NodeRegistry registry = new NodeRegistry(new InMemoryTable<>(), clock, Duration.ofSeconds(5));
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private final RegistryNodes nodes = new RegistryNodes(registry, sessions::contains);

  @Test
  void aHeartBeatingNodeWithoutASessionHereIsNotAvailableForPlacement() {
    heartBeating("nd-1");
    heartBeating("nd-2");
    sessions.add("nd-2");

    assertThat(nodes.list()).extracting(NodeInfo::nodeId, NodeInfo::available)
        .containsExactlyInAnyOrder(tuple("nd-1", false), tuple("nd-2", true));

    Scheduler scheduler = new Scheduler(nodes, new CapacityLedger(new InMemoryTable<>()), PlacementPolicy.SPREAD, new Random(3));
    for (int i = 0; i < 5; i++) {
      assertThat(scheduler.place(SMALL, null)).map(NodeInfo::nodeId).as("placement %d", i).contains("nd-2");
    }
  }

  @Test
  void noNodeWithASessionMeansNoPlacementRatherThanALaunchThatCannotBeSent() {
    heartBeating("nd-1");
    Scheduler scheduler = new Scheduler(nodes, new CapacityLedger(new InMemoryTable<>()), PlacementPolicy.PACK, new Random(3));

    assertThat(scheduler.place(SMALL, null)).isEmpty();

    sessions.add("nd-1");
    assertThat(scheduler.place(SMALL, null)).map(NodeInfo::nodeId).contains("nd-1");
  }

  @Test
  void aSessionDoesNotMakeASilentNodeAvailable() {
    registry.enroll("nd-1", "host1", "canopy-1a", HOST);
    sessions.add("nd-1");

    assertThat(nodes.list()).singleElement().extracting(NodeInfo::available).isEqualTo(false);
  }

  private void heartBeating(String nodeId) {
    registry.enroll(nodeId, "host-" + nodeId, "canopy-1a", HOST);
    registry.heartbeat(nodeId, HOST, HostLoad.UNKNOWN, List.of());
  }
}
