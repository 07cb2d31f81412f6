package dev.canopy.cloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.UndecodableRequest;
import dev.canopy.cloud.agents.EnrollmentTokens;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.BillingReports;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.consolelogin.ConsolePasswords;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.identity.ResourceOwnership;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.usage.UsageQueries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin JSON API on the console port ({@code /admin/v1/...}): account create, list, delete;
 * node enrollment tokens; the enrolled nodes; metering samples; monthly bills; the controller set.
 * Every call is SigV4-signed (service {@value #SIGNING_SERVICE}) and must come from the
 * administrator's key; anything else is 403. See docs/admin-api.md.
 */
public final class AdminApi {

  public static final String SIGNING_SERVICE = "canopy";
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final int BODY_BYTES_MAX = 64 * 1024;
  private static final java.time.Duration DEFAULT_TOKEN_TTL = java.time.Duration.ofHours(1);

  private final Vertx vertx;
  private final IdentityService identity;
  private final ResourceOwnership ownership;
  private final EnrollmentTokens tokens;
  private final NodeRegistry nodes;
  private final SignedCalls calls;
  private final ObjectMapper json;
  private MeteringService metering;
  private BillingReports billing;
  private BillingTotals billingTotals;
  private ConsolePasswordRequests consolePasswords;
  private ControllerRequests controllers;
  private final List<ConsoleRoutes> alsoServed = new ArrayList<>();
  private KeyManagerFactory tlsKeys;
  private HttpServer server;
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private dev.canopy.cloud.latency.LatencyRecorder latency;
  private ConnectionGuard guard;

  public AdminApi(Vertx vertx, SigV4Verifier verifier, IdentityService identity, ResourceOwnership ownership) {
    this(vertx, verifier, identity, ownership, null);
  }

  /** @param tokens issues node enrollment tokens ({@code POST /admin/v1/tokens}); null where this process has no CA */
  public AdminApi(Vertx vertx, SigV4Verifier verifier, IdentityService identity, ResourceOwnership ownership, EnrollmentTokens tokens) {
    this(vertx, verifier, identity, ownership, tokens, null);
  }

  /**
   * @param tokens issues node enrollment tokens ({@code POST /admin/v1/tokens}); null where this process has no CA
   * @param nodes the enrolled nodes ({@code GET /admin/v1/nodes}); null where this process has no node registry
   */
  public AdminApi(Vertx vertx, SigV4Verifier verifier, IdentityService identity, ResourceOwnership ownership, EnrollmentTokens tokens,
      NodeRegistry nodes) {
    this.vertx = vertx;
    this.identity = identity;
    this.ownership = ownership;
    this.tokens = tokens;
    this.nodes = nodes;
    this.calls = new SignedCalls(vertx, verifier, LOG);
    this.json = calls.json();
  }

  /** Adds the admin routes to a router (the console server owns the port). */
  public void mount(Router router) {
    router.route("/admin/*").handler(
        calls.refusingUnsigned("admin operations need a request signed with the administrator's credentials"));
    // Bodies stay in memory (bounded) until the signature over them is checked; nothing goes to
    // disk: the default BodyHandler would store multipart uploads under ./file-uploads for ever.
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX).setDeleteUploadedFilesOnEnd(true));
    router.post("/admin/v1/accounts").handler(ctx -> call(ctx, 201, () -> created(identity.createAccount(nameFrom(ctx)))));
    router.get("/admin/v1/accounts").handler(ctx -> call(ctx, 200, () -> Map.of("accounts", identity.listAccounts())));
    router.delete("/admin/v1/accounts/:name").handler(ctx -> call(ctx, 204, () -> {
      identity.deleteAccount(ctx.pathParam("name"), ownership);
      return null;
    }));
    router.post("/admin/v1/accounts/:name/disable").handler(ctx -> call(ctx, 200, () -> identity.disable(ctx.pathParam("name"))));
    router.post("/admin/v1/accounts/:name/enable").handler(ctx -> call(ctx, 200, () -> identity.enable(ctx.pathParam("name"))));
    router.get("/admin/v1/accounts/:name/keys").handler(ctx -> call(ctx, 200, () -> Map.of("keys", identity.listKeys(ctx.pathParam("name")))));
    router.post("/admin/v1/accounts/:name/keys").handler(ctx -> call(ctx, 201, () -> newKey(identity.createKey(ctx.pathParam("name")))));
    router.post("/admin/v1/accounts/:name/keys/:keyId/deactivate").handler(ctx -> call(ctx, 204, () -> {
      identity.deactivateKey(ctx.pathParam("name"), ctx.pathParam("keyId"));
      return null;
    }));
    router.delete("/admin/v1/accounts/:name/keys/:keyId").handler(ctx -> call(ctx, 204, () -> {
      identity.deleteKey(ctx.pathParam("name"), ctx.pathParam("keyId"));
      return null;
    }));
    if (tokens != null) {
      router.post("/admin/v1/tokens").handler(ctx -> call(ctx, 201, () -> createToken(ctx)));
    }
    if (nodes != null) {
      router.get("/admin/v1/nodes").handler(ctx -> call(ctx, 200, () -> Map.of("nodes", listNodes())));
    }
    if (billing != null) {
      router.get("/admin/v1/billing/report").handler(ctx -> call(ctx, 200, () -> billing.answer(ctx.queryParams())));
      router.get("/admin/v1/billing/totals").handler(ctx -> call(ctx, 200, () -> billingTotals.answer(ctx.queryParams())));
    }
    if (consolePasswords != null) {
      router.put("/admin/v1/accounts/:name/console-password").handler(ctx -> call(ctx, 204, () -> {
        consolePasswords.set(ctx.pathParam("name"), ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        return null;
      }));
      router.delete("/admin/v1/accounts/:name/console-password").handler(ctx -> call(ctx, 204, () -> {
        consolePasswords.remove(ctx.pathParam("name"));
        return null;
      }));
    }
    if (controllers != null) {
      router.get("/admin/v1/controllers").handler(ctx -> call(ctx, 200, controllers::list));
      router.post("/admin/v1/controllers").handler(ctx -> call(ctx, 201,
          () -> controllers.join(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes())));
      router.delete("/admin/v1/controllers/:id").handler(ctx -> call(ctx, 200, () -> controllers.leave(ctx.pathParam("id"))));
    }
    if (metering != null) {
      router.get("/admin/v1/samples").handler(ctx -> call(ctx, 200, () -> SampleRequests.answer(metering, ctx.queryParams())));
    }
    router.route("/admin/*").handler(ctx -> error(ctx, 404, "NotFound", "no such admin resource"));
    // A body over the limit (413) or a path that cannot be decoded (400) fails before any call.
    router.route("/admin/*").failureHandler(this::failedBeforeCall);
  }

  /**
   * Serves stored metering samples at {@code GET /admin/v1/samples}, of one instance or one account,
   * over an optional time range (see {@link SampleRequests}).
   */
  public AdminApi withMetering(MeteringService metering) {
    this.metering = metering;
    return this;
  }

  /**
   * Serves the controller set at {@code /admin/v1/controllers}: list, join ({@code POST}), leave
   * ({@code DELETE .../{id}}); see {@link ControllerRequests}.
   */
  public AdminApi withControllers(dev.canopy.cloud.membership.GridMembership membership) {
    this.controllers = new ControllerRequests(membership, json);
    return this;
  }

  /**
   * Serves monthly bills at {@code GET /admin/v1/billing/report} (see {@link BillingReports}).
   *
   * @param usage the metering store's months of usage
   * @param prices the operator's price sheet
   */
  public AdminApi withBilling(UsageQueries usage, PriceSheet prices) {
    this.billing = new BillingReports(identity, usage, prices);
    this.billingTotals = new BillingTotals(identity, usage, prices);
    return this;
  }

  /**
   * Console logins: the operator's console session may make admin calls (with its CSRF token), and
   * {@code PUT|DELETE /admin/v1/accounts/{name}/console-password} set and remove passwords.
   */
  public AdminApi withConsoleLogins(ConsolePasswords passwords, SessionCallers sessions) {
    this.consolePasswords = new ConsolePasswordRequests(identity, passwords, json);
    calls.withSessions(sessions);
    return this;
  }

  /** Another API on the console port (the tenant usage API), with this API's error shape for what it does not serve. Call before {@link #listen}. */
  public AdminApi alsoServing(ConsoleRoutes routes) {
    alsoServed.add(routes);
    return this;
  }

  /** Caps and timeouts of the console port's connections; {@link ConnectionLimits#DEFAULTS} unless set. Call before {@link #listen}. */
  public AdminApi withConnectionLimits(ConnectionLimits limits) {
    this.connectionLimits = limits;
    return this;
  }

  /**
   * Serves the console port over HTTPS with these keys (outside {@code dev}: a certificate from the
   * cloud's CA); plain HTTP unless called. Call before {@link #listen}.
   */
  public AdminApi withTls(KeyManagerFactory keys) {
    this.tlsKeys = keys;
    return this;
  }

  /** Measures each console request's time to its answer, by client network. Call before {@link #listen}. */
  public AdminApi withLatency(dev.canopy.cloud.latency.LatencyRecorder recorder) {
    this.latency = recorder;
    return this;
  }

  public Future<Integer> listen(String host, int port) {
    Router router = Router.router(vertx);
    dev.canopy.cloud.latency.LatencyRecorder recorder = latency;
    if (recorder != null) {
      // First of the routes: every request is timed, whichever answers it.
      router.route().handler(ctx -> {
        long started = recorder.time().nanoTime();
        String client = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        ctx.response().endHandler(v -> recorder.api("console", client, recorder.time().nanoTime() - started));
        ctx.next();
      });
    }
    mount(router);
    alsoServed.forEach(routes -> routes.mount(router));
    // The console port serves nothing else: other paths (also those that normalise out of
    // /admin) get the admin error shape rather than Vert.x's HTML pages.
    router.route().handler(ctx -> error(ctx, 404, "NotFound", "no such resource"));
    router.route().failureHandler(this::failedBeforeCall);
    guard = ConnectionGuard.of(vertx, connectionLimits, "console");
    HttpServer http = UndecodableRequest.answerIn(
        guard.install(vertx.createHttpServer(guard.configure(serverOptions())), router), this::refuseUndecodable);
    return http.listen(port, host).map(s -> {
      server = s;
      return s.actualPort();
    });
  }

  private HttpServerOptions serverOptions() {
    HttpServerOptions options = new HttpServerOptions();
    return tlsKeys == null ? options : options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(tlsKeys));
  }

  public Future<Void> close() {
    if (guard != null) {
      guard.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** An admin call: signed by the administrator, or 403 before the action runs. */
  private void call(RoutingContext ctx, int status, Callable<Object> action) {
    calls.call(ctx, status, caller -> {
      if (!IdentityService.ADMIN_ACCOUNT_ID.equals(caller.accountId())) {
        throw ApiError.accessDenied("admin operations need the administrator's credentials");
      }
      return action.call();
    });
  }

  /** Vert.x Web's own refusals (a status, no exception) and anything thrown in a route, as admin JSON. */
  private void failedBeforeCall(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    switch (ctx.statusCode()) {
      case 413 -> error(ctx, 413, "EntityTooLarge", "the request body exceeds " + BODY_BYTES_MAX + " bytes");
      case 404 -> error(ctx, 404, "NotFound", "no such resource");
      case -1, 500 -> fail(ctx, ctx.failure() == null ? new IllegalStateException("route failed") : ctx.failure());
      default -> error(ctx, ctx.statusCode() >= 500 ? 500 : ctx.statusCode(), "InvalidRequest", "the request cannot be served");
    }
  }

  /** A request the HTTP decoder refused (too long, not HTTP) still gets the admin error shape. */
  private void refuseUndecodable(UndecodableRequest why, HttpServerRequest request) {
    ObjectNode body = json.createObjectNode().put("code", "InvalidRequest").put("message", why.message());
    request.response().setStatusCode(why.httpStatus()).putHeader("content-type", "application/json").end(body.toString());
  }

  private String nameFrom(RoutingContext ctx) {
    try {
      JsonNode body = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
      if (body == null || !body.path("name").isTextual()) {
        throw new BadRequest("the body must be a JSON object with a string \"name\"");
      }
      return body.get("name").asText();
    } catch (IOException e) {
      throw new BadRequest("the body is not valid JSON");
    }
  }

  /** Body {@code {"ttlSeconds": N}} (optional; default one hour) → {@code {token, expiresInSeconds}}. */
  private Object createToken(RoutingContext ctx) {
    long ttlSeconds = DEFAULT_TOKEN_TTL.toSeconds();
    try {
      byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      JsonNode body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
      if (body != null && body.has("ttlSeconds")) {
        if (!body.get("ttlSeconds").canConvertToLong()) {
          throw new BadRequest("\"ttlSeconds\" must be a whole number of seconds");
        }
        ttlSeconds = body.get("ttlSeconds").asLong();
      }
    } catch (IOException e) {
      throw new BadRequest("the body is not valid JSON");
    }
    if (ttlSeconds < 1 || ttlSeconds > EnrollmentTokens.TTL_MAX.toSeconds()) {
      throw new BadRequest("\"ttlSeconds\" must be between 1 and " + EnrollmentTokens.TTL_MAX.toSeconds());
    }
    String token = tokens.create(java.time.Duration.ofSeconds(ttlSeconds));
    LOG.info("issued a node enrollment token valid for {} s", ttlSeconds);
    return Map.of("token", token, "expiresInSeconds", ttlSeconds);
  }

  /** Every enrolled node, by node id: {@code {nodeId, hostname, zone, state, capacity, lastHeartbeat, domains}}. */
  private List<Map<String, Object>> listNodes() {
    return nodes.list().stream()
        .sorted(Comparator.comparing(NodeRecord::nodeId))
        .map(AdminApi::nodeView)
        .toList();
  }

  private static Map<String, Object> nodeView(NodeRecord node) {
    // Ordered, and lastHeartbeat may be null (enrolled, no heartbeat yet): not Map.of.
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("nodeId", node.nodeId());
    view.put("hostname", node.hostname());
    view.put("zone", node.zone());
    view.put("state", node.state());
    view.put("capacity", node.capacity());
    view.put("lastHeartbeat", node.lastHeartbeat());
    view.put("domains", node.domains().size());
    view.put("instances", node.domains().stream().map(d -> d.instanceId()).sorted().toList());
    return view;
  }

  /** A new key: the only answer that carries its secret. */
  private static Object newKey(dev.canopy.api.auth.Credential key) {
    return Map.of("accessKeyId", key.accessKeyId(), "secretAccessKey", key.secretAccessKey(), "status", "Active");
  }

  private static Object created(NewAccount created) {
    Account account = created.account();
    return Map.of(
        "account", account,
        "accessKeyId", created.credential().accessKeyId(),
        "secretAccessKey", created.credential().secretAccessKey());
  }

  private void error(RoutingContext ctx, int status, String code, String message) {
    calls.error(ctx, status, code, message);
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    calls.fail(ctx, failure);
  }
}
