package dev.canopy.cloud.latency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ranks nodes by how inflated their latency is against their peers in the same zone, as WhyHigh
 * does: a node's inflation is its median heartbeat round trip (and command latency, and p90s) over
 * the median of its zone's nodes; the ranking is by the largest of these. A node with no measurement
 * ranks last. Then the likely cause, from what is known now, in this order:
 *
 * <ol>
 *   <li>{@link #LOSS_SHARE_MIN} or more of its heartbeat pings unanswered: packet loss;
 *   <li>its round trips are slow through one controller (and not through the others, or no other
 *       controller has a session with it), and that controller is slow for the other nodes too: the
 *       controller, not the node;
 *   <li>host CPU busy at least {@link #CPU_BUSY_MIN}, iowait at least {@link #IOWAIT_MIN}, steal at
 *       least {@link #STEAL_MIN}, or under {@link #MEMORY_FREE_MIN} of memory available (the node's
 *       latest host metrics);
 *   <li>else none known.
 * </ol>
 *
 * A node within {@link #INFLATED_MIN} of its zone is not inflated and gets no cause. Pure.
 */
public final class LatencyRanking {

  public static final double INFLATED_MIN = 1.5;
  public static final double LOSS_SHARE_MIN = 0.05;
  public static final double CPU_BUSY_MIN = 0.9;
  public static final double IOWAIT_MIN = 0.2;
  public static final double STEAL_MIN = 0.1;
  public static final double MEMORY_FREE_MIN = 0.05;
  /** A controller is slow when its round trips are this many times the other controllers'. */
  public static final double SLOW_CONTROLLER_FACTOR = 2.0;

  private LatencyRanking() {}

  /** A node as the registry knows it. */
  public record Node(String nodeId, String hostname, String zone) {}

  /** The node's latest host figures, in their units (fractions, bytes); null when none are recent. */
  public record HostNow(double cpuIdle, double iowait, double steal, double memoryTotal, double memoryAvailable) {}

  /** Median, 90th percentile (ms, NaN when nothing was measured) and how many measurements. */
  public record Figures(double p50, double p90, long count) {
    static Figures of(LatencyHistogram h) {
      return new Figures(h.quantile(0.5), h.quantile(0.9), h.count());
    }
  }

  public record NodeRow(String nodeId, String hostname, String zone, Figures heartbeat, Figures command, long pingsLost,
      long pingsSent, double inflation, double heartbeatInflation, double heartbeatP90Inflation, double commandInflation,
      String cause) {}

  public record NetworkRow(String api, String network, Figures latency, double inflation) {}

  public record ControllerRow(String controllerId, Figures heartbeat, boolean slow) {}

  public record Report(long atMillis, int windowMinutes, List<NodeRow> nodes, List<NetworkRow> networks,
      List<ControllerRow> controllers) {}

  public static Report rank(long nowMillis, List<ControllerLatency> published, List<Node> nodes, Map<String, HostNow> hosts) {
    // Per controller and per node, each kind merged.
    Map<String, Map<String, LatencyHistogram>> byController = new TreeMap<>();
    Map<String, LatencyHistogram> merged = new TreeMap<>();
    for (ControllerLatency c : published) {
      Map<String, LatencyHistogram> decoded = c.decoded();
      byController.put(c.controllerId(), decoded);
      decoded.forEach((key, h) -> merged.computeIfAbsent(key, k -> new LatencyHistogram()).addAll(h));
    }
    List<ControllerRow> controllers = controllers(byController);
    Map<String, Double> controllerMedian = new HashMap<>();
    controllers.forEach(c -> controllerMedian.put(c.controllerId(), c.heartbeat().p50()));

    Map<String, Figures> heartbeat = new HashMap<>();
    Map<String, Figures> command = new HashMap<>();
    for (Node node : nodes) {
      heartbeat.put(node.nodeId(), Figures.of(merged.getOrDefault("hb/" + node.nodeId(), new LatencyHistogram())));
      command.put(node.nodeId(), Figures.of(merged.getOrDefault("cmd/" + node.nodeId(), new LatencyHistogram())));
    }
    Map<String, List<Node>> zones = new TreeMap<>();
    nodes.forEach(n -> zones.computeIfAbsent(n.zone(), z -> new ArrayList<>()).add(n));
    List<NodeRow> rows = new ArrayList<>();
    zones.forEach((zone, members) -> {
      double hbZone = median(members.stream().map(n -> heartbeat.get(n.nodeId()).p50()).toList());
      double hbZone90 = median(members.stream().map(n -> heartbeat.get(n.nodeId()).p90()).toList());
      double cmdZone = median(members.stream().map(n -> command.get(n.nodeId()).p50()).toList());
      for (Node n : members) {
        Figures hb = heartbeat.get(n.nodeId());
        Figures cmd = command.get(n.nodeId());
        long lost = merged.getOrDefault("lost/" + n.nodeId(), new LatencyHistogram()).count();
        double hbInflation = ratio(hb.p50(), hbZone);
        double hb90Inflation = ratio(hb.p90(), hbZone90);
        double cmdInflation = ratio(cmd.p50(), cmdZone);
        double inflation = max(hbInflation, hb90Inflation, cmdInflation);
        String cause = cause(n, inflation, lost, hb.count() + lost, byController, controllerMedian, hosts.get(n.nodeId()));
        rows.add(new NodeRow(n.nodeId(), n.hostname(), zone, hb, cmd, lost, hb.count() + lost, inflation, hbInflation,
            hb90Inflation, cmdInflation, cause));
      }
    });
    rows.sort(Comparator.comparingDouble((NodeRow r) -> Double.isNaN(r.inflation()) ? Double.NEGATIVE_INFINITY : r.inflation())
        .reversed().thenComparing(NodeRow::nodeId));
    return new Report(nowMillis, LatencyRecorder.WINDOW_MINUTES, rows, networks(merged), controllers);
  }

  private static String cause(Node node, double inflation, long lost, long sent, Map<String, Map<String, LatencyHistogram>> byController,
      Map<String, Double> controllerMedian, HostNow host) {
    if (sent > 0 && (double) lost / sent >= LOSS_SHARE_MIN) {
      return "packet loss: " + lost + " of " + sent + " heartbeat pings unanswered";
    }
    if (Double.isNaN(inflation) || inflation < INFLATED_MIN) {
      return "";
    }
    String slow = slowControllerFor(node.nodeId(), byController, controllerMedian);
    if (slow != null) {
      return "controller " + slow + " is slow for every node, not this node";
    }
    if (host != null) {
      if (1 - host.cpuIdle() >= CPU_BUSY_MIN) {
        return "host CPU saturated (" + percent(1 - host.cpuIdle()) + " busy)";
      }
      if (host.iowait() >= IOWAIT_MIN) {
        return "high iowait (" + percent(host.iowait()) + " of CPU time waits for disks)";
      }
      if (host.steal() >= STEAL_MIN) {
        return "CPU steal (" + percent(host.steal()) + "): the host's own hypervisor takes its CPUs";
      }
      if (host.memoryTotal() > 0 && host.memoryAvailable() / host.memoryTotal() < MEMORY_FREE_MIN) {
        return "memory nearly exhausted (" + percent(host.memoryAvailable() / host.memoryTotal()) + " available)";
      }
      return "no cause known: host CPU, disks and memory look normal";
    }
    return "no cause known: no recent host metrics";
  }

  /** The controller through which this node's round trips are slow, when that controller is slow for everyone. */
  private static String slowControllerFor(String nodeId, Map<String, Map<String, LatencyHistogram>> byController,
      Map<String, Double> controllerMedian) {
    if (byController.size() < 2) {
      return null;
    }
    for (var entry : byController.entrySet()) {
      String controller = entry.getKey();
      LatencyHistogram through = entry.getValue().get("hb/" + nodeId);
      if (through == null || through.count() == 0) {
        continue;
      }
      List<Double> others = new ArrayList<>();
      byController.forEach((c, h) -> {
        LatencyHistogram o = h.get("hb/" + nodeId);
        if (!c.equals(controller) && o != null && o.count() > 0) {
          others.add(o.quantile(0.5));
        }
      });
      List<Double> otherControllers = controllerMedian.entrySet().stream()
          .filter(e -> !e.getKey().equals(controller)).map(Map.Entry::getValue).toList();
      double mine = through.quantile(0.5);
      // Slow through this controller and not through the others (or seen by no other controller at all).
      if ((others.isEmpty() || mine >= SLOW_CONTROLLER_FACTOR * median(others))
          && controllerMedian.getOrDefault(controller, Double.NaN) >= SLOW_CONTROLLER_FACTOR * median(otherControllers)) {
        return controller;
      }
    }
    return null;
  }

  private static List<ControllerRow> controllers(Map<String, Map<String, LatencyHistogram>> byController) {
    Map<String, Figures> figures = new TreeMap<>();
    byController.forEach((controller, histograms) -> {
      LatencyHistogram all = new LatencyHistogram();
      histograms.forEach((key, h) -> {
        if (key.startsWith("hb/")) {
          all.addAll(h);
        }
      });
      figures.put(controller, Figures.of(all));
    });
    List<ControllerRow> rows = new ArrayList<>();
    figures.forEach((controller, f) -> {
      double others = median(figures.entrySet().stream().filter(e -> !e.getKey().equals(controller)).map(e -> e.getValue().p50()).toList());
      rows.add(new ControllerRow(controller, f, figures.size() > 1 && f.p50() >= SLOW_CONTROLLER_FACTOR * others));
    });
    return rows;
  }

  private static List<NetworkRow> networks(Map<String, LatencyHistogram> merged) {
    Map<String, Map<String, Figures>> byApi = new TreeMap<>();
    merged.forEach((key, h) -> {
      if (key.startsWith("api/")) {
        String[] parts = key.split("/", 3);
        if (parts.length == 3) {
          byApi.computeIfAbsent(parts[1], a -> new TreeMap<>()).put(parts[2], Figures.of(h));
        }
      }
    });
    List<NetworkRow> rows = new ArrayList<>();
    byApi.forEach((api, networks) -> {
      double typical = median(networks.values().stream().map(Figures::p50).toList());
      networks.forEach((network, f) -> rows.add(new NetworkRow(api, network, f, ratio(f.p50(), typical))));
    });
    rows.sort(Comparator.comparingDouble((NetworkRow r) -> Double.isNaN(r.inflation()) ? Double.NEGATIVE_INFINITY : r.inflation())
        .reversed());
    return rows;
  }

  /** The median of the numbers that are not NaN; NaN when none are. */
  static double median(List<Double> values) {
    double[] sorted = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static double ratio(double value, double typical) {
    return Double.isNaN(value) || Double.isNaN(typical) || typical <= 0 ? Double.NaN : value / typical;
  }

  private static double max(double... values) {
    double best = Double.NaN;
    for (double v : values) {
      if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
        best = v;
      }
    }
    return best;
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 100) + " %";
  }
}
