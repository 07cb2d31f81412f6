package dev.canopy.storage.kv.riak;

import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.UndecodableRequest;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.RingAdmin;
import dev.canopy.storage.kv.riak.RiakRoute.Resource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The Riak-compatible HTTP interface of one storage node over a {@link KvService}: authenticates
 * each request when the config asks for credentials (the check runs on a worker: it may look
 * the key up), routes it ({@link RiakRoute}) and hands it to its resource's handler. Requests
 * run on the event loop; the store's futures are awaited, never blocked on.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}; close before the store.
 */
public final class RiakHttpServer {

  private final Vertx vertx;
  private final RiakHttpConfig config;
  private final KvService kv;
  private final ObjectReads reads;
  private final ObjectWrites writes;
  private final LinkWalker walker;
  private final KeyListing keys;
  private final PropsResource props;
  private final RingResource ring;
  private ConnectionGuard guard;
  private HttpServer server;

  /**
   * @param random picks server-chosen keys and multipart boundaries: the process's SecureRandom,
   *     as keys chosen for clients must not collide
   */
  public RiakHttpServer(Vertx vertx, RiakHttpConfig config, KvService kv, RandomGenerator random) {
    this(vertx, config, kv, null, random);
  }

  /**
   * @param ringAdmin serves Canopy's {@code /canopy/ring} routes (view, join, leave); null: they
   *     answer 404, as on a node without a ring to change
   */
  public RiakHttpServer(Vertx vertx, RiakHttpConfig config, KvService kv, RingAdmin ringAdmin, RandomGenerator random) {
    this.vertx = vertx;
    this.config = config;
    this.kv = kv;
    Base62 ids = new Base62(random);
    ObjectAnswers answers = new ObjectAnswers(ids);
    this.reads = new ObjectReads(kv, answers);
    this.writes = new ObjectWrites(kv, answers, ids);
    this.walker = new LinkWalker(kv, ids);
    this.keys = new KeyListing(kv);
    this.props = new PropsResource(kv);
    this.ring = ringAdmin == null ? null : new RingResource(ringAdmin);
  }

  /** Binds; completes with the bound port once requests are accepted. */
  public synchronized Future<Integer> start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    guard = ConnectionGuard.of(vertx, ConnectionLimits.DEFAULTS, "Riak HTTP");
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        // 100-continue is answered once the body's length is known to fit (RiakExchange.body).
        .setHandle100ContinueAutomatically(false);
    if (config.tlsKeys() != null) {
      options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(config.tlsKeys()));
    }
    server = vertx.createHttpServer(guard.configure(options));
    guard.install(server, this::handle);
    UndecodableRequest.answerIn(server, (why, request) -> request.response()
        .setStatusCode(why.httpStatus()).putHeader("Content-Type", RiakExchange.TEXT).end(why.message() + "\n"));
    return server.listen().map(HttpServer::actualPort);
  }

  /** The bound port; only after {@link #start()} completed. */
  public int port() {
    if (server == null || server.actualPort() <= 0) {
      throw new IllegalStateException("not started");
    }
    return server.actualPort();
  }

  public synchronized Future<Void> close() {
    if (server == null) {
      return Future.succeededFuture();
    }
    guard.close();
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    RiakExchange ex = new RiakExchange(request, RiakRoute.parse(request.path(), request.method()), vertx.getOrCreateContext());
    if (config.credentials() == null) {
      dispatch(ex);
      return;
    }
    Optional<BasicCredentials> presented = BasicCredentials.parse(request.getHeader("Authorization"));
    if (presented.isEmpty()) {
      unauthorized(ex);
      return;
    }
    // Nothing of the body is read before the credentials are known good.
    request.pause();
    BasicCredentials credentials = presented.get();
    vertx.executeBlocking(() -> config.credentials().test(credentials.accessKeyId(), credentials.secret()), false)
        .onComplete(checked -> {
          if (checked.succeeded() && checked.result()) {
            dispatch(ex);
          } else {
            if (checked.failed()) {
              ex.fail(checked.cause());
            } else {
              unauthorized(ex);
            }
          }
        });
  }

  private static void unauthorized(RiakExchange ex) {
    ex.response.putHeader("WWW-Authenticate", "Basic realm=\"Riak\"");
    ex.text(401, "Authentication required\n");
  }

  private void dispatch(RiakExchange ex) {
    RiakRoute route = ex.route;
    HttpMethod method = ex.request.method();
    if (!readsBody(route.resource(), method) || !route.resource().methods.contains(method)) {
      ex.request.resume();
    }
    if (route.resource() == Resource.NONE || ring == null && isRing(route.resource())) {
      ex.text(404, ObjectReads.NOT_FOUND);
      return;
    }
    if (!route.resource().methods.contains(method)) {
      ex.response.putHeader("Allow", route.resource().methods.stream().map(HttpMethod::name).sorted()
          .collect(Collectors.joining(", ")));
      ex.text(405, "Method Not Allowed\n");
      return;
    }
    Future<Void> done;
    try {
      done = run(ex, method);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onFailure(ex::fail);
  }

  private static boolean readsBody(Resource resource, HttpMethod method) {
    return (method == HttpMethod.PUT || method == HttpMethod.POST)
        && (resource == Resource.OBJECT || resource == Resource.KEYS || resource == Resource.PROPS
            || resource == Resource.RING_JOIN || resource == Resource.RING_LEAVE);
  }

  private static boolean isRing(Resource resource) {
    return resource == Resource.RING || resource == Resource.RING_JOIN || resource == Resource.RING_LEAVE;
  }

  private Future<Void> run(RiakExchange ex, HttpMethod method) {
    boolean reading = method == HttpMethod.GET || method == HttpMethod.HEAD;
    return switch (ex.route.resource()) {
      case PING -> {
        // Riak's ping resource answers text/html.
        ex.response.putHeader("Content-Type", "text/html").end("OK");
        yield Future.succeededFuture();
      }
      case STATS -> {
        ex.json(200, StatsJson.render(kv.stats()));
        yield Future.succeededFuture();
      }
      case PROPS -> reading ? props.get(ex) : method == HttpMethod.PUT ? props.put(ex) : props.reset(ex);
      case KEYS -> reading ? keys.list(ex) : writes.create(ex);
      case OBJECT -> reading ? reads.get(ex) : method == HttpMethod.DELETE ? writes.delete(ex) : writes.put(ex);
      case LINK_WALK -> walker.walk(ex);
      case RING -> ring.view(ex);
      case RING_JOIN -> ring.join(ex);
      case RING_LEAVE -> ring.leave(ex);
      case NONE -> throw new IllegalStateException("answered before dispatch");
    };
  }
}
