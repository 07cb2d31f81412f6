package dev.canopy.cloud.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyRankingTest {

  private static final long NOW = 1_800_000_000_000L;

  /** A controller's published window: per key, that many measurements of that many ms. */
  private static ControllerLatency controller(String id, Map<String, double[]> measured) {
    RollingLatencies window = new RollingLatencies(5);
    measured.forEach((key, values) -> {
      for (double v : values) {
        window.record(key, v, NOW);
      }
    });
    return ControllerLatency.of(id, NOW, window.snapshot(NOW));
  }

  private static double[] times(int n, double ms) {
    double[] values = new double[n];
    java.util.Arrays.fill(values, ms);
    return values;
  }

  private static final List<LatencyRanking.Node> NODES = List.of(
      new LatencyRanking.Node("nd-a", "a", "z1"), new LatencyRanking.Node("nd-b", "b", "z1"),
      new LatencyRanking.Node("nd-c", "c", "z1"), new LatencyRanking.Node("nd-d", "d", "z2"));

  private static final LatencyRanking.HostNow CALM = new LatencyRanking.HostNow(0.8, 0.01, 0, 100, 60);

  @Test
  void nodesRankByInflationOverTheirOwnZone() {
    ControllerLatency one = controller("1", Map.of(
        "hb/nd-a", times(50, 1), "hb/nd-b", times(50, 1.2), "hb/nd-c", times(50, 8), "hb/nd-d", times(50, 20)));
    var report = LatencyRanking.rank(NOW, List.of(one), NODES, Map.of("nd-c", CALM));
    assertThat(report.nodes()).extracting(LatencyRanking.NodeRow::nodeId).first().isEqualTo("nd-c");
    LatencyRanking.NodeRow c = report.nodes().get(0);
    assertThat(c.inflation()).isGreaterThan(5);
    assertThat(c.cause()).startsWith("no cause known");
    // nd-d is slow in absolute terms but alone in its zone: not inflated.
    LatencyRanking.NodeRow d = report.nodes().stream().filter(r -> r.nodeId().equals("nd-d")).findFirst().orElseThrow();
    assertThat(d.inflation()).isEqualTo(1.0);
    assertThat(d.cause()).isEmpty();
  }

  @Test
  void causesComeFromLossThenTheHostsFigures() {
    ControllerLatency one = controller("1", Map.of(
        "hb/nd-a", times(50, 1), "hb/nd-b", times(50, 1), "lost/nd-b", times(10, 0), "hb/nd-c", times(50, 9), "hb/nd-d", times(5, 1)));
    Map<String, LatencyRanking.HostNow> hosts = new HashMap<>();
    hosts.put("nd-c", new LatencyRanking.HostNow(0.03, 0.0, 0, 100, 50));
    var rows = LatencyRanking.rank(NOW, List.of(one), NODES, hosts).nodes();
    var byNode = new HashMap<String, LatencyRanking.NodeRow>();
    rows.forEach(r -> byNode.put(r.nodeId(), r));
    assertThat(byNode.get("nd-b").cause()).isEqualTo("packet loss: 10 of 60 heartbeat pings unanswered");
    assertThat(byNode.get("nd-c").cause()).isEqualTo("host CPU saturated (97 % busy)");

    hosts.put("nd-c", new LatencyRanking.HostNow(0.5, 0.3, 0, 100, 50));
    assertThat(LatencyRanking.rank(NOW, List.of(one), NODES, hosts).nodes().stream()
        .filter(r -> r.nodeId().equals("nd-c")).findFirst().orElseThrow().cause()).startsWith("high iowait (30 %");
  }

  @Test
  void aControllerSlowForEveryNodeIsBlamedRatherThanTheNode() {
    // nd-b has a session with controller 2 only, which is slow for everyone: nd-a and nd-c average
    // it out with the other two, nd-b cannot.
    ControllerLatency fast = controller("1", Map.of("hb/nd-a", times(100, 1), "hb/nd-c", times(100, 1)));
    ControllerLatency slow = controller("2", Map.of("hb/nd-a", times(20, 40), "hb/nd-b", times(50, 40), "hb/nd-c", times(20, 40)));
    ControllerLatency third = controller("3", Map.of("hb/nd-a", times(100, 1), "hb/nd-c", times(100, 1)));
    var report = LatencyRanking.rank(NOW, List.of(fast, slow, third), NODES, Map.of());
    assertThat(report.controllers()).filteredOn(LatencyRanking.ControllerRow::slow)
        .extracting(LatencyRanking.ControllerRow::controllerId).containsExactly("2");
    LatencyRanking.NodeRow top = report.nodes().get(0);
    assertThat(top.nodeId()).isEqualTo("nd-b");
    assertThat(top.inflation()).isGreaterThanOrEqualTo(LatencyRanking.INFLATED_MIN);
    assertThat(top.cause()).isEqualTo("controller 2 is slow for every node, not this node");
  }

  @Test
  void clientNetworksAreSlash24AndSlash64AndRankedToo() {
    assertThat(ClientNetworks.of("10.1.2.3")).isEqualTo("10.1.2.0/24");
    assertThat(ClientNetworks.of("2001:db8:0:1:2:3:4:5")).isEqualTo("2001:db8:0:1::/64");
    assertThat(ClientNetworks.of("[::1]")).isEqualTo("0:0:0:0::/64");
    assertThat(ClientNetworks.of("example.com")).isEqualTo("unknown");
    assertThat(ClientNetworks.of(null)).isEqualTo("unknown");
    ControllerLatency one = controller("1", Map.of("api/ec2/10.0.0.0/24", times(20, 2), "api/ec2/10.9.9.0/24", times(20, 30),
        "api/ec2/10.0.1.0/24", times(20, 2)));
    var networks = LatencyRanking.rank(NOW, List.of(one), List.of(), Map.of()).networks();
    assertThat(networks.get(0).network()).isEqualTo("10.9.9.0/24");
    assertThat(networks.get(0).inflation()).isGreaterThan(10);
  }

  @Test
  void histogramsRollOverTheWindowAndQuantilesAreWithinABucket() {
    RollingLatencies window = new RollingLatencies(5);
    window.record("k", 100, NOW - 10 * 60_000);
    window.record("k", 1, NOW);
    window.record("k", 2, NOW);
    window.record("k", 3, NOW);
    LatencyHistogram h = window.snapshot(NOW).get("k");
    assertThat(h.count()).as("the measurement ten minutes ago left the window").isEqualTo(3);
    assertThat(h.quantile(0.5)).isBetween(2.0, 2.4);
    assertThat(h.quantile(0.9)).isBetween(3.0, 3.6);
    assertThat(new LatencyHistogram().quantile(0.5)).isNaN();
    assertThat(ControllerLatency.of("1", NOW, Map.of("k", h)).decoded().get("k").counts()).isEqualTo(h.counts());
  }
}
