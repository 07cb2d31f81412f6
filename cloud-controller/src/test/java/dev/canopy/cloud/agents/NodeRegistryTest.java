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

class NodeRegistryTest {

  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final HostCapacity CAPACITY = new HostCapacity(8, 16384, 200);
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final NodeRegistry registry = new NodeRegistry(new InMemoryTable<>(), clock, INTERVAL);

  @Test
  void anEnrolledNodeIsUnavailableUntilItsFirstHeartbeat() {
    registry.enroll("nd-1", "host1", "canopy-1a", CAPACITY);
    assertThat(registry.get("nd-1").orElseThrow().state()).isEqualTo(NodeState.UNAVAILABLE);

    var after = registry.heartbeat("nd-1", CAPACITY, new HostLoad(0.5, 1024), List.of(new DomainReport("i-1", "running"))).orElseThrow();
    assertThat(after.state()).isEqualTo(NodeState.AVAILABLE);
    assertThat(after.lastHeartbeat()).isEqualTo(clock.instant());
    assertThat(after.domains()).containsExactly(new DomainReport("i-1", "running"));
  }

  @Test
  void becomesUnavailableAfterThreeMissedIntervalsAndRecovers() {
    registry.enroll("nd-1", "host1", "canopy-1a", CAPACITY);
    registry.heartbeat("nd-1", CAPACITY, HostLoad.UNKNOWN, List.of());

    clock.advance(INTERVAL.multipliedBy(3).minusMillis(1));
    assertThat(registry.sweep()).isEmpty();
    assertThat(registry.get("nd-1").orElseThrow().available()).isTrue();

    clock.advance(Duration.ofMillis(1));
    assertThat(registry.sweep()).extracting(NodeRecord::nodeId).containsExactly("nd-1");
    assertThat(registry.get("nd-1").orElseThrow().state()).isEqualTo(NodeState.UNAVAILABLE);
    assertThat(registry.sweep()).as("reported once").isEmpty();

    registry.heartbeat("nd-1", CAPACITY, HostLoad.UNKNOWN, List.of());
    assertThat(registry.get("nd-1").orElseThrow().available()).isTrue();
  }

  @Test
  void aHeartbeatOfAnUnknownNodeChangesNothing() {
    assertThat(registry.heartbeat("nd-x", CAPACITY, HostLoad.UNKNOWN, List.of())).isEmpty();
    assertThat(registry.list()).isEmpty();
  }
}
