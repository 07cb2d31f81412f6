package dev.canopy.cloud.hostmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.canopy.node.protocol.HostSample;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HostMetricsStoreTest {

  private static final String NODE = "nd-00000000000000aa";
  /** An hour's start. */
  private static final long T0 = 1_800_000_000L / 3600 * 3600;

  private final MemoryStore store = new MemoryStore();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(T0 + 1_800));
  private final InstantSource clock = () -> now.get();

  private HostMetricsStore controller(String id) {
    return new HostMetricsStore(store, id, () -> List.of("1", "2"), clock, Duration.ofDays(7));
  }

  private static HostSample sample(long second, double idle, long memUsed, double ethRx) {
    return new HostSample(second, 10, new HostSample.Cpu(1 - idle, 0, 0, 0, idle),
        new HostSample.Memory(1L << 34, (1L << 34) - memUsed, memUsed, 0),
        Map.of("sda", new HostSample.Disk(4096, 8192, 1.5, 2)), Map.of("eth0", new HostSample.Net(ethRx, 10, 1, 1)));
  }

  @Test
  void samplesReadBackInTheirUnits() {
    HostMetricsStore store = controller("1");
    assertThat(store.ingest(NODE, List.of(sample(T0 + 10, 0.75, 1000, 12.5), sample(T0 + 20, 0.5, 2000, 25)))).isEqualTo(2);

    var points = store.read(NODE, T0, T0 + 3_600, name -> true);
    assertThat(points.get("cpu.idle")).containsExactly(Map.entry(T0 + 10, 750_000L), Map.entry(T0 + 20, 500_000L));
    assertThat(points.get("mem.used").lastEntry().getValue()).isEqualTo(2000);
    assertThat(points.get("disk.sda.reads").firstEntry().getValue()).as("thousandths").isEqualTo(1_500);
    assertThat(points.get("net.eth0.rxBytes").firstEntry().getValue()).isEqualTo(13);

    HostGraph graph = HostGraph.of(NODE, T0, T0 + 60, 20, points);
    assertThat(graph.times()).containsExactly(T0 + 20, T0 + 40, T0 + 60);
    HostGraph.Line idle = graph.series().stream().filter(l -> l.name().equals("cpu.idle")).findFirst().orElseThrow();
    assertThat(idle.unit()).isEqualTo("fraction");
    assertThat(idle.values().get(0)).as("the mean of the period's two points").isCloseTo(0.625, within(1e-9));
    assertThat(idle.values().get(1)).isNull();
  }

  @Test
  void aResendAddsNothingAndTheFirstValueStays() {
    HostMetricsStore store = controller("1");
    store.ingest(NODE, List.of(sample(T0 + 10, 0.75, 1000, 1)));
    store.ingest(NODE, List.of(sample(T0 + 10, 0.10, 9999, 1), sample(T0 + 20, 0.5, 2000, 1)));
    var idle = store.read(NODE, T0, T0 + 3_600, name -> name.equals("cpu.idle")).get("cpu.idle");
    assertThat(idle).containsExactly(Map.entry(T0 + 10, 750_000L), Map.entry(T0 + 20, 500_000L));
  }

  @Test
  void twoControllersWriteTheirOwnRecordsAndAReadMergesThem() {
    controller("1").ingest(NODE, List.of(sample(T0 + 10, 0.9, 1, 1)));
    // The session moved: the same hour goes on at controller 2, each writing only its own record.
    controller("2").ingest(NODE, List.of(sample(T0 + 20, 0.8, 1, 1)));
    controller("1").ingest(NODE, List.of(sample(T0 + 30, 0.7, 1, 1)));
    assertThat(store.keys(HostMetricsStore.NAMESPACE)).containsExactlyInAnyOrder(NODE + "/" + T0 + "/1", NODE + "/" + T0 + "/2");
    var idle = controller("2").read(NODE, T0, T0 + 3_600, name -> name.equals("cpu.idle")).get("cpu.idle");
    assertThat(idle.keySet()).containsExactly(T0 + 10, T0 + 20, T0 + 30);
  }

  @Test
  void samplesOutsideTheKeptWindowAreRefused() {
    HostMetricsStore store = controller("1");
    long nowSecond = now.get().getEpochSecond();
    int stored = store.ingest(NODE, List.of(sample(nowSecond - Duration.ofDays(8).toSeconds(), 0.5, 1, 1),
        sample(nowSecond + 3_600, 0.5, 1, 1), sample(nowSecond, 0.5, 1, 1)));
    assertThat(stored).isEqualTo(1);
    assertThat(this.store.keys(HostMetricsStore.NAMESPACE)).containsExactly(NODE + "/" + T0 + "/1");
  }

  @Test
  void aNewHourDeletesTheRecordThatLeftTheRetention() {
    HostMetricsStore first = controller("1");
    first.ingest(NODE, List.of(sample(T0 + 10, 0.5, 1, 1)));
    now.set(Instant.ofEpochSecond(T0 + 3_620));
    first.ingest(NODE, List.of(sample(T0 + 3_610, 0.5, 1, 1)));
    assertThat(store.keys(HostMetricsStore.NAMESPACE)).hasSize(2);

    // Seven days and an hour later, a controller started since writes the node's new hour.
    now.set(Instant.ofEpochSecond(T0 + Duration.ofDays(7).toSeconds() + 3_600 + 10));
    HostMetricsStore restarted = controller("1");
    restarted.ingest(NODE, List.of(sample(now.get().getEpochSecond(), 0.5, 1, 1)));
    List<String> keys = new ArrayList<>(store.keys(HostMetricsStore.NAMESPACE));
    assertThat(keys).as("the first hour is past the retention, the second still within it")
        .containsExactlyInAnyOrder(NODE + "/" + (T0 + 3_600) + "/1", NODE + "/" + HostHour.hourOf(now.get().getEpochSecond()) + "/1");
  }

  @Test
  void anHourOfTenSecondPointsIsCompact() {
    now.set(Instant.ofEpochSecond(T0 + 3_600));
    HostMetricsStore store = controller("1");
    List<HostSample> hour = new ArrayList<>();
    for (int i = 0; i < 360; i++) {
      hour.add(sample(T0 + i * 10L, 0.5 + (i % 7) / 100.0, 1_000_000 + i * 4096L, 1000 + i % 13));
    }
    store.ingest(NODE, hour);
    int bytes = this.store.get(HostMetricsStore.NAMESPACE, NODE + "/" + T0 + "/1").orElseThrow().length;
    // 17 series of 360 points: 6120 points, far below 8 bytes each.
    assertThat(bytes).isLessThan(6_120 * 3);
    assertThat(new TreeMap<>(store.read(NODE, T0 - 1, T0 + 3_600, n -> true)).get("mem.used")).hasSize(360);
  }
}
