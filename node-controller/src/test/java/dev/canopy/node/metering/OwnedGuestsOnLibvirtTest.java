package dev.canopy.node.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeIdentity;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.hypervisor.TestDriver;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.InstanceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a metering reading takes from libvirt's test driver (whose counters are synthetic but
 * real libvirt calls): only this node's running guests, each with its instance's CPU, memory and
 * the NIC the spec named; two readings make deltas a controller can bill.
 */
class OwnedGuestsOnLibvirtTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger COMMANDS = new AtomicInteger();

  @TempDir Path dataDir;
  private NodeCompute nodeA;
  private NodeCompute nodeB;

  @BeforeEach
  void open() {
    nodeA = open("meter-a", dataDir.resolve("a"));
    nodeB = open("meter-b", dataDir.resolve("b"));
  }

  private static NodeCompute open(String nodeId, Path dir) {
    return NodeCompute.open(NodeSettings.defaults(nodeId, dir), new HypervisorSettings(TestDriver.URI, Duration.ofSeconds(10), 2, 16),
        SystemTime.INSTANCE);
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  private static String launch(NodeCompute node, String mac) {
    String id = TestDriver.instanceId();
    InstanceSpec spec = new InstanceSpec(id, "111122223333", "t3.micro", 1, 256, 1, "ami-0123456789abcdef0", null, null,
        mac, null, null);
    Ack ack = node.dispatcher().dispatch(new Command("m-" + COMMANDS.incrementAndGet(), 1, CommandTypes.RUN_INSTANCE,
        JSON.valueToTree(spec)));
    assertThat(ack.ok()).as(ack.message()).isTrue();
    return id;
  }

  private static void send(NodeCompute node, String type, String id) {
    Ack ack = node.dispatcher().dispatch(new Command("m-" + COMMANDS.incrementAndGet(), 1, type,
        JSON.createObjectNode().put("instanceId", id).put("force", true)));
    assertThat(ack.ok()).as(ack.message()).isTrue();
  }

  @Test
  void aReadingHasThisNodesRunningGuestsOnly() {
    String running = launch(nodeA, "52:54:00:aa:00:01");
    String stopped = launch(nodeA, "52:54:00:aa:00:02");
    String othersGuest = launch(nodeB, "52:54:00:bb:00:01");
    send(nodeA, CommandTypes.STOP_INSTANCE, stopped);
    try {
      Map<String, GuestStats> reading = new OwnedGuests(nodeA.hypervisor(), new NodeIdentity("meter-a")).get();

      assertThat(reading).as("not node-b's guest, not a stopped one, not the driver's own 'test' domain")
          .containsOnlyKeys(running);
      GuestStats stats = reading.get(running);
      assertThat(stats.memoryKib()).isEqualTo(256 * 1024);
      assertThat(stats.cpuTimeNanos()).isPositive();
      assertThat(stats.nics()).singleElement().satisfies(nic -> {
        assertThat(nic.macAddress()).isEqualTo("52:54:00:aa:00:01");
        assertThat(nic.device()).startsWith("testnet");
      });
      assertThat(new OwnedGuests(nodeB.hypervisor(), new NodeIdentity("meter-b")).get()).containsOnlyKeys(othersGuest);
    } finally {
      for (String id : List.of(running, stopped)) {
        send(nodeA, CommandTypes.TERMINATE_INSTANCE, id);
      }
      send(nodeB, CommandTypes.TERMINATE_INSTANCE, othersGuest);
    }
  }

  @Test
  void twoReadingsMakeDeltasForTheInstanceAndItsNicThatTheQueueStores() {
    String id = launch(nodeA, "52:54:00:aa:00:03");
    try {
      OwnedGuests guests = new OwnedGuests(nodeA.hypervisor(), new NodeIdentity("meter-a"));
      CounterDeltas.Step first = CounterDeltas.advance(Baselines.EMPTY, guests.get(), 1_000);
      CounterDeltas.Step second = CounterDeltas.advance(first.after(), guests.get(), 11_000);

      assertThat(first.samples()).as("a first sighting only sets the baseline").isEmpty();
      assertThat(second.samples()).hasSize(2).allSatisfy(s -> {
        assertThat(s.instanceId()).isEqualTo(id);
        assertThat(s.intervalMs()).isEqualTo(10_000);
        assertThat(s.timestampMs()).isEqualTo(11_000);
      });
      Sample instance = second.samples().stream().filter(s -> !s.isNic()).findFirst().orElseThrow();
      Sample nic = second.samples().stream().filter(Sample::isNic).findFirst().orElseThrow();
      assertThat(instance.memoryKib()).isEqualTo(256 * 1024);
      assertThat(instance.cpuTimeNanos()).isNotNegative();
      assertThat(nic.mac()).isEqualTo("52:54:00:aa:00:03");
      assertThat(nic.rxBytes()).isNotNegative();

      SampleQueue queue = SampleQueue.open(dataDir.resolve("queue"), new java.util.SplittableRandom(5));
      assertThat(queue.append(second.samples(), second.after(), 11_000)).isTrue();
      assertThat(SampleQueue.open(dataDir.resolve("queue"), new java.util.SplittableRandom(6)).baselines())
          .as("a restarted agent measures from where the stored reading ended").isEqualTo(second.after());
    } finally {
      send(nodeA, CommandTypes.TERMINATE_INSTANCE, id);
    }
  }
}
