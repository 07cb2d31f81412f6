package dev.canopy.cloud.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats that change nothing but the time go to the in-memory pulse table, not to the durable
 * node record; the registry and its sweep still see their time.
 */
class NodePulseTest {

  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final HostCapacity CAPACITY = new HostCapacity(8, 16384, 200);
  private static final HostLoad LOAD = new HostLoad(0.5, 1024);
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryTable<NodeRecord> records = new InMemoryTable<>();
  private final InMemoryTable<NodePulse> pulses = new InMemoryTable<>();
  private final NodeRegistry registry = new NodeRegistry(records, pulses, clock, INTERVAL);

  @Test
  void aHeartbeatThatChangesNothingButTheTimeWritesNoRecordYetIsSeen() {
    registry.enroll("nd-1", "host1", "canopy-1a", CAPACITY);
    registry.heartbeat("nd-1", CAPACITY, LOAD, List.of(new DomainReport("i-1", "running")));
    int recordWrites = records.writes();

    for (int beat = 0; beat < 10; beat++) {
      clock.advance(INTERVAL);
      var after = registry.heartbeat("nd-1", CAPACITY, LOAD, List.of(new DomainReport("i-1", "running"))).orElseThrow();
      assertThat(after.lastHeartbeat()).isEqualTo(clock.instant());
    }

    assertThat(records.writes()).as("durable record writes").isEqualTo(recordWrites);
    assertThat(registry.get("nd-1").orElseThrow().lastHeartbeat()).isEqualTo(clock.instant());
    assertThat(registry.list()).singleElement().satisfies(n -> assertThat(n.lastHeartbeat()).isEqualTo(clock.instant()));
  }

  @Test
  void aHeartbeatWithNewDomainsCapacityOrLoadIsWrittenToTheRecord() {
    registry.enroll("nd-1", "host1", "canopy-1a", CAPACITY);
    registry.heartbeat("nd-1", CAPACITY, LOAD, List.of());
    int before = records.writes();

    registry.heartbeat("nd-1", CAPACITY, LOAD, List.of(new DomainReport("i-1", "running")));
    registry.heartbeat("nd-1", new HostCapacity(4, 16384, 200), LOAD, List.of(new DomainReport("i-1", "running")));
    registry.heartbeat("nd-1", new HostCapacity(4, 16384, 200), new HostLoad(1.5, 2048), List.of(new DomainReport("i-1", "running")));

    assertThat(records.writes()).isEqualTo(before + 3);
    NodeRecord recorded = records.get("nd-1").orElseThrow();
    assertThat(recorded.domains()).containsExactly(new DomainReport("i-1", "running"));
    assertThat(recorded.capacity()).isEqualTo(new HostCapacity(4, 16384, 200));
    assertThat(recorded.load()).isEqualTo(new HostLoad(1.5, 2048));
  }

  @Test
  void theSweepCountsPulsesSoOnlyASilentNodeBecomesUnavailable() {
    registry.enroll("nd-1", "host1", "canopy-1a", CAPACITY);
    registry.enroll("nd-2", "host2", "canopy-1a", CAPACITY);
    registry.heartbeat("nd-1", CAPACITY, LOAD, List.of());
    registry.heartbeat("nd-2", CAPACITY, LOAD, List.of());

    // nd-1 keeps heart-beating (pulses only); nd-2 falls silent.
    for (int beat = 0; beat < 3; beat++) {
      clock.advance(INTERVAL);
      registry.heartbeat("nd-1", CAPACITY, LOAD, List.of());
    }

    assertThat(registry.sweep()).extracting(NodeRecord::nodeId).containsExactly("nd-2");
    assertThat(registry.get("nd-1").orElseThrow().available()).isTrue();
    assertThat(registry.get("nd-2").orElseThrow().available()).isFalse();
  }

  @Test
  void anUnavailableNodesHeartbeatIsWrittenSoItIsAvailableAgain() {
    registry.enroll("nd-1", "host1", "canopy-1a", CAPACITY);
    registry.heartbeat("nd-1", CAPACITY, LOAD, List.of());
    clock.advance(INTERVAL.multipliedBy(3));
    assertThat(registry.sweep()).hasSize(1);

    registry.heartbeat("nd-1", CAPACITY, LOAD, List.of());

    assertThat(records.get("nd-1").orElseThrow().available()).isTrue();
    assertThat(records.get("nd-1").orElseThrow().lastHeartbeat()).isEqualTo(clock.instant());
  }
}
