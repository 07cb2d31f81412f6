package dev.canopy.deploy.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.operatorapi.CloudOverview;
import dev.canopy.cloud.storeclient.RemoteRing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's overview of the cloud ({@code GET /api/cloud}), from what this controller can
 * read: the controllers' directory in the grid (each asked for {@code /healthz} on its management
 * port), this controller's view of the lease, the grid's members, each storage node's ring over the
 * internal port, and the node registry with the capacity its instances reserve.
 */
final class CloudView implements CloudOverview {

  /** A controller that does not answer its health check this fast is shown as down. */
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

  private final ControllerDirectory controllers;
  private final LeadershipPlane leadership;
  private final Grid grid;
  private final NodeRegistry nodes;
  private final InstanceService instances;
  private final List<RemoteRing> storage;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_TIMEOUT).build();

  CloudView(ControllerDirectory controllers, LeadershipPlane leadership, Grid grid, NodeRegistry nodes, InstanceService instances,
      List<RemoteRing> storage) {
    this.controllers = controllers;
    this.leadership = leadership;
    this.grid = grid;
    this.nodes = nodes;
    this.instances = instances;
    this.storage = storage;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("self", leadership.selfId());
    view.put("controllers", controllers());
    view.put("lease", parse(leadership.statusJson()));
    view.put("grid", Map.of("members", grid.memberCount(), "majority", grid.hasMajority()));
    view.put("storage", storageNodes());
    view.put("nodes", nodeAgents());
    return view;
  }

  private List<Map<String, Object>> controllers() {
    Integer holder = leadership.holder();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ControllerDirectory.Entry entry : controllers.all()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("id", entry.id());
      c.put("ec2", entry.endpoints().get("ec2"));
      c.put("console", entry.endpoints().get("console"));
      c.put("management", entry.endpoints().get("management"));
      c.put("up", entry.id() == leadership.selfId() || healthy(entry.endpoints().get("management")));
      c.put("holder", holder != null && holder == entry.id());
      out.add(c);
    }
    return out;
  }

  private boolean healthy(String management) {
    if (management == null) {
      return false;
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(management + "/healthz")).timeout(HEALTH_TIMEOUT).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Each storage endpoint's answer: the node's id, its pending handoffs and the members it sees; or that it did not answer. */
  private List<Map<String, Object>> storageNodes() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RemoteRing ring : storage) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("endpoint", ring.base().toString());
      try {
        JsonNode answer = json.readTree(ring.read());
        s.put("up", true);
        s.put("node", answer.path("node").asText());
        s.put("ringVersion", answer.path("version").asLong());
        s.put("partitions", answer.path("partitions").asInt());
        s.put("handoffsPending", answer.path("handoffs_pending").asInt());
        List<Map<String, Object>> members = new ArrayList<>();
        answer.path("members").forEach(m -> members.add(Map.of("id", m.path("id").asText(),
            "address", m.path("address").isNull() ? "" : m.path("address").asText(), "partitionsOwned", m.path("partitions_owned").asInt())));
        s.put("members", members);
      } catch (IOException | RuntimeException e) {
        s.put("up", false);
      }
      out.add(s);
    }
    return out;
  }

  private List<Map<String, Object>> nodeAgents() {
    Map<String, List<Instance>> placed = instances.everyInstance(i -> i.nodeId() != null && i.state() != InstanceState.TERMINATED)
        .stream().collect(Collectors.groupingBy(Instance::nodeId));
    return nodes.list().stream().sorted(Comparator.comparing(NodeRecord::nodeId)).map(node -> {
      List<Instance> on = placed.getOrDefault(node.nodeId(), List.of());
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("nodeId", node.nodeId());
      n.put("hostname", node.hostname());
      n.put("zone", node.zone());
      n.put("state", node.state().toString());
      n.put("vcpusTotal", node.capacity() == null ? 0 : node.capacity().vcpus());
      n.put("memoryMibTotal", node.capacity() == null ? 0 : node.capacity().memoryMib());
      n.put("vcpusUsed", on.stream().filter(i -> i.reserved() != null).mapToInt(i -> i.reserved().vcpus()).sum());
      n.put("memoryMibUsed", on.stream().filter(i -> i.reserved() != null).mapToLong(i -> i.reserved().memoryMib()).sum());
      n.put("instances", on.size());
      n.put("lastHeartbeat", node.lastHeartbeat() == null ? null : node.lastHeartbeat().toString());
      return n;
    }).toList();
  }

  private Object parse(String text) {
    try {
      return json.readValue(text, Map.class);
    } catch (IOException e) {
      return Map.of();
    }
  }
}
