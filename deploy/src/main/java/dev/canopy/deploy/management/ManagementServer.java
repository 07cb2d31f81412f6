package dev.canopy.deploy.management;

import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The management port every process has: {@code /healthz} (the process is alive),
 * {@code /readyz} (it serves requests), {@code /health} (the same verdict as JSON with its reason,
 * for load balancers), {@code /metrics} (Prometheus text). Kept off the S3 port, where
 * {@code /metrics} would be a bucket name.
 */
public final class ManagementServer {

  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;
  private final Supplier<Health> health;
  private final BooleanSupplier healthy;
  private HttpServer server;
  private Supplier<String> lease;
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private ConnectionGuard guard;

  /**
   * @param healthy what {@code /healthz} reports: the process is alive
   * @param health what {@code /health} and {@code /readyz} report: whether to send it traffic, and why not
   */
  public ManagementServer(
      Vertx vertx, PrometheusMeterRegistry metrics, BooleanSupplier healthy, Supplier<Health> health) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.healthy = healthy;
    this.health = health;
  }

  /** Serves {@code GET /lease} on controllers: the PaxosLease status as JSON. Call before {@link #listen}. */
  public ManagementServer withLease(Supplier<String> statusJson) {
    this.lease = statusJson;
    return this;
  }

  /** Caps and timeouts of this port's connections; {@link ConnectionLimits#DEFAULTS} unless set. Call before {@link #listen}. */
  public ManagementServer withConnectionLimits(ConnectionLimits limits) {
    this.connectionLimits = limits;
    return this;
  }

  public Future<Integer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> answer(ctx, healthy.getAsBoolean()));
    router.get("/readyz").handler(ctx -> answer(ctx, health.get().serving()));
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(this::scrape);
    if (lease != null) {
      router.get("/lease").handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(lease.get()));
    }
    guard = ConnectionGuard.of(vertx, connectionLimits, "management");
    return guard.install(vertx.createHttpServer(guard.configure(new HttpServerOptions())), router)
        .listen(port, host)
        .map(
            s -> {
              server = s;
              return s.actualPort();
            });
  }

  private void answer(RoutingContext ctx, boolean ok) {
    ctx.response()
        .setStatusCode(ok ? 200 : 503)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end(ok ? "ok\n" : "not ready\n");
  }

  private void health(RoutingContext ctx) {
    Health now = health.get();
    ctx.response()
        .setStatusCode(now.serving() ? 200 : 503)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(now.json());
  }

  private void scrape(RoutingContext ctx) {
    // Scraping walks every meter: off the event loop.
    vertx
        .executeBlocking(metrics::scrape)
        .onSuccess(
            body ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(body))
        .onFailure(ctx::fail);
  }

  public Future<Void> close() {
    if (guard != null) {
      guard.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
