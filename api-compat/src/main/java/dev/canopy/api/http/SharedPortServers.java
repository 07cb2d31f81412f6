package dev.canopy.api.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One listening port served from several event loops. A Vert.x {@link HttpServer} handles all its
 * connections on the event loop it was started on, so one server caps a busy port (TLS handshakes,
 * signature checks, frame parsing) at one core however many the machine has. Servers bound to the
 * same host and port from different event-loop contexts share the socket: Vert.x accepts once and
 * hands each new connection to the next of them, round robin. Each server here is started by an
 * instance of a deployment, and every instance of a deployment has an event-loop context of its
 * own.
 *
 * <p>A port of 0 resolves to one random port all the servers share. If any server fails to bind,
 * Vert.x undeploys the ones that did. Handlers must be safe to call from several event loops at
 * once (each connection stays on one).
 */
public final class SharedPortServers {

  /** Event loops a port is served from unless a caller says otherwise: one per core. */
  public static final int EVENT_LOOPS_DEFAULT = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final List<HttpServer> servers;
  private final String deployment;
  private final int port;

  private SharedPortServers(Vertx vertx, List<HttpServer> servers, String deployment, int port) {
    this.vertx = vertx;
    this.servers = servers;
    this.deployment = deployment;
    this.port = port;
  }

  /**
   * Starts {@code eventLoops} servers made by {@code newServer} (handlers installed, not listening)
   * on {@code host:port}; completes once all of them accept connections, or fails and leaves none.
   */
  public static Future<SharedPortServers> listen(Vertx vertx, int eventLoops, String host, int port, Supplier<HttpServer> newServer) {
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1: " + eventLoops);
    }
    // Vert.x shares a port between servers that ask for the same one; servers asking for 0 each
    // get a port of their own, but servers asking for the same negative number share one random port.
    int shared = port == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : port;
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> context -> {
          HttpServer server = newServer.get();
          servers.add(server);
          return server.listen(shared, host);
        }, new DeploymentOptions().setInstances(eventLoops))
        .map(deployment -> new SharedPortServers(vertx, servers, deployment, servers.get(0).actualPort()));
  }

  /** The bound port (the one chosen when asked for 0). */
  public int port() {
    return port;
  }

  /** How many servers (event loops) take this port's connections. */
  public int eventLoops() {
    return servers.size();
  }

  /** Stops accepting and closes every connection of every server. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    servers.forEach(server -> closing.add(server.close()));
    // Undeploying would close them too; closed first, so that close() means closed even when
    // Vert.x itself is closing and the deployment is already gone.
    return Future.join(closing).transform(closed -> vertx.undeploy(deployment)).transform(undeployed -> Future.succeededFuture());
  }
}
