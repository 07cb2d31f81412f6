package dev.canopy.cloud.hostsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.hostmetrics.HostGraph;
import dev.canopy.cloud.hostmetrics.HostMetricsStore;
import dev.canopy.cloud.hostmetrics.HostSeries;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.latency.LatencyRanking;
import dev.canopy.cloud.latency.LatencyRecorder;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The operator's node routes on the console port, session or SigV4 (service {@code canopy}), the
 * administrator only (anyone else 403 {@code AccessDenied}):
 *
 * <ul>
 *   <li>{@code GET /api/admin/hosts}: every node with its state, capacity and load;
 *   <li>{@code GET /api/admin/hosts/{node}}: one node and the instances placed on it;
 *   <li>{@code GET /api/admin/hosts/{node}/metrics?from&to&step&metric=cpu,mem,disk,net}: its host
 *       metrics as graph columns ({@link HostGraph}, window rules in {@link MetricsWindow});
 *   <li>{@code GET /api/admin/latency}: the nodes ranked by latency inflation ({@link LatencyRanking}).
 * </ul>
 *
 * An unknown node is 404 {@code NoSuchNode}; a malformed node id 400.
 */
public final class HostsApi implements ConsoleRoutes {

  private static final int BODY_BYTES_MAX = 16 * 1024;
  private static final Pattern NODE_ID = Pattern.compile("nd-[0-9a-f]{16}");
  /** Host figures older than this say nothing about a latency measured now. */
  private static final Duration HOST_FIGURES_RECENT = Duration.ofMinutes(1);

  private final SignedCalls calls;
  private final NodeRegistry nodes;
  private final Function<String, List<Instance>> instancesOn;
  private final HostMetricsStore metrics;
  private final LatencyRecorder latency;
  private final InstantSource clock;

  /**
   * @param instancesOn the instances placed on a node, every account's (blocking)
   */
  public HostsApi(Vertx vertx, SigV4Verifier verifier, NodeRegistry nodes, Function<String, List<Instance>> instancesOn,
      HostMetricsStore metrics, LatencyRecorder latency, InstantSource clock) {
    this.calls = new SignedCalls(vertx, verifier, LoggerFactory.getLogger(HostsApi.class));
    this.nodes = nodes;
    this.instancesOn = instancesOn;
    this.metrics = metrics;
    this.latency = latency;
    this.clock = clock;
  }

  /** The operator logged in to the console calls these with the session too. */
  public HostsApi withSessions(SessionCallers sessions) {
    calls.withSessions(sessions);
    return this;
  }

  @Override
  public void mount(Router router) {
    for (String path : List.of("/api/admin/hosts", "/api/admin/hosts/*", "/api/admin/latency")) {
      router.route(path).handler(calls.refusingUnsigned("node views need the operator's console session or signature"));
      router.route(path).handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    }
    router.get("/api/admin/hosts").handler(ctx -> calls.call(ctx, 200, caller -> list(caller)));
    router.get("/api/admin/hosts/:node").handler(ctx -> calls.call(ctx, 200, caller -> node(caller, ctx)));
    router.get("/api/admin/hosts/:node/metrics").handler(ctx -> calls.call(ctx, 200, caller -> metrics(caller, ctx)));
    router.get("/api/admin/latency").handler(ctx -> calls.call(ctx, 200, caller -> latency(caller)));
  }

  private Object list(Principal caller) {
    operatorOnly(caller);
    return Map.of("nodes", nodes.list().stream().map(NodeViews::summary).toList());
  }

  private Object node(Principal caller, RoutingContext ctx) {
    operatorOnly(caller);
    NodeRecord node = known(ctx.pathParam("node"));
    return NodeViews.detail(node, instancesOn.apply(node.nodeId()));
  }

  private Object metrics(Principal caller, RoutingContext ctx) {
    operatorOnly(caller);
    NodeRecord node = known(ctx.pathParam("node"));
    MetricsWindow window = MetricsWindow.parse(ctx.queryParams(), clock.instant().getEpochSecond());
    var points = metrics.read(node.nodeId(), window.from(), window.to(), name -> window.groups().contains(HostSeries.group(name)));
    return HostGraph.of(node.nodeId(), window.from(), window.to(), window.step(), points);
  }

  private Object latency(Principal caller) {
    operatorOnly(caller);
    List<NodeRecord> all = nodes.list();
    Map<String, LatencyRanking.HostNow> hosts = new HashMap<>();
    for (NodeRecord node : all) {
      Map<String, Long> now = metrics.latest(node.nodeId(), HOST_FIGURES_RECENT);
      if (now.containsKey("cpu.idle") && now.containsKey("mem.total")) {
        hosts.put(node.nodeId(), new LatencyRanking.HostNow(scaled(now, "cpu.idle"), scaled(now, "cpu.iowait"),
            scaled(now, "cpu.steal"), scaled(now, "mem.total"), scaled(now, "mem.available")));
      }
    }
    var report = LatencyRanking.rank(clock.millis(), latency.published(),
        all.stream().map(n -> new LatencyRanking.Node(n.nodeId(), n.hostname(), n.zone())).toList(), hosts);
    // NaN (nothing measured) is not JSON: it is sent as null.
    return withoutNaN(calls.json().valueToTree(report));
  }

  private static double scaled(Map<String, Long> values, String series) {
    return values.getOrDefault(series, 0L) / (double) HostSeries.scale(series);
  }

  private NodeRecord known(String nodeId) {
    if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
      throw ApiError.invalidParameter("not a node id (nd-...): " + QueryValues.shown(nodeId));
    }
    return nodes.get(nodeId).orElseThrow(() -> new ApiError(404, "NoSuchNode", "no node " + nodeId + " is enrolled"));
  }

  private static void operatorOnly(Principal caller) {
    if (!IdentityService.ADMIN_ACCOUNT_ID.equals(caller.accountId())) {
      throw ApiError.accessDenied("node views are the operator's");
    }
  }

  private static JsonNode withoutNaN(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> object.set(e.getKey(), withoutNaN(e.getValue())));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, withoutNaN(array.get(i)));
      }
    } else if (node.isNumber() && Double.isNaN(node.asDouble())) {
      return NullNode.getInstance();
    }
    return node;
  }
}
