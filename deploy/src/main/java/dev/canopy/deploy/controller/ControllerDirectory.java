package dev.canopy.deploy.controller;

import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.Table;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each controller serves, by controller id, in the grid: how a controller that does not
 * lead finds the holder's EC2 and console endpoints, and how {@code canopy status} finds the others.
 */
final class ControllerDirectory {

  static final String MAP = "controllers";

  /**
   * One controller's published endpoints (its {@code endpoints.json}) and when it published them:
   * once per start, so a restart shows as a new {@code startedAt} (0 in entries written before it was kept).
   */
  record Entry(int id, Map<String, String> endpoints, long startedAt) {}

  /**
   * What agents are told: every controller's agent URL, and a number that changes whenever a
   * controller starts again (so the same URLs are told again, and agents retry one they wait out).
   */
  record AgentView(List<String> urls, long starts) {
    static final AgentView NONE = new AgentView(List.of(), 0);
  }

  private final Table<Entry> table;

  ControllerDirectory(Grid grid) {
    this.table = grid.map(MAP, Entry.class);
  }

  void publish(int id, Map<String, String> endpoints, java.time.Instant startedAt) {
    table.put(Integer.toString(id), new Entry(id, Map.copyOf(endpoints), startedAt.toEpochMilli()));
  }

  /** A controller that left the controller set takes its entry away, so nobody forwards or connects to it. */
  void withdraw(int id) {
    table.remove(Integer.toString(id));
  }

  /** Every controller's entry, by id. Reads the grid. */
  List<Entry> all() {
    return table.values(e -> true).stream().sorted(java.util.Comparator.comparingInt(Entry::id)).toList();
  }

  /** Every controller's agent-port URL, by id, and their starts. Reads the grid. */
  AgentView agentView() {
    List<Entry> agents = table.values(e -> e.endpoints().containsKey("agent")).stream()
        .sorted(java.util.Comparator.comparingInt(Entry::id))
        .toList();
    long starts = 17;
    for (Entry e : agents) {
      starts = 31 * starts + e.startedAt();
    }
    return new AgentView(agents.stream().map(e -> e.endpoints().get("agent")).toList(), starts);
  }

  /** One controller's endpoint of that name ({@code ec2}, {@code console}, ...). Reads the grid. */
  Optional<URI> endpointOf(int id, String endpoint) {
    return table.get(Integer.toString(id)).map(e -> e.endpoints().get(endpoint)).filter(java.util.Objects::nonNull).map(URI::create);
  }
}
