package dev.canopy.storage.internal;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.SharedPortServers;
import dev.canopy.core.tls.PeerTrustManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage process's internal key-value endpoint over a {@link SystemStore} (API in the
 * package Javadoc). HTTPS only, client certificate required: the handshake admits exactly the
 * peers {@link Tls} allows (the controllers), so a request that reaches a handler is trusted.
 * Store calls block (RocksDB, fsync), so they run on a bounded worker pool, never on the event
 * loop; a write is answered 204 only after the store's synced write returned. Given an {@link
 * ObjectBackend}, it also answers objects' digests ({@link ObjectDigester}) on a pool of their
 * own, so that streaming a large object never holds up the grid's writes.
 */
public final class InternalKvServer {

  /** Suggested port: off S3's 8779, beside the controller's 8773-8776. */
  public static final int DEFAULT_PORT = 8777;
  public static final int VALUE_BYTES_MAX = 1024 * 1024;
  /** Header on a 404 that means "no such record", so a client can tell it from a wrong URL. */
  public static final String RESULT_HEADER = "Canopy-Kv-Result";
  public static final String RESULT_MISSING = "missing";
  /** A batch of writes ({@link KvWrites}), answered once, after one write of all of them. */
  public static final String BATCH_PATH = "/v1/kv-batch";

  private static final Logger LOG = LoggerFactory.getLogger(InternalKvServer.class);
  /** Refused handshakes log under the trust manager's name, as on every other Canopy port. */
  private static final Logger TLS_REFUSALS = LoggerFactory.getLogger(PeerTrustManager.class);
  /** Controllers keep pooled connections open between writes: longer than the clients' keep-alive. */
  private static final ConnectionLimits CONNECTION_LIMITS = ConnectionLimits.DEFAULTS.withIdleTimeout(java.time.Duration.ofSeconds(120));
  /** Worker threads for store calls: RocksDB serialises synced writes anyway. */
  private static final int WORKERS = 8;
  /** Worker threads computing digests: each streams a whole object, so few, and apart from the store calls. */
  private static final int DIGEST_WORKERS = 2;
  /** Requests admitted at once; beyond this the server answers 503 instead of queueing without end. */
  private static final int IN_FLIGHT_MAX = 256;
  /** This node's ring, for the operator's console. */
  public static final String RING_PATH = "/v1/ring";
  /**
   * An oversized body is read and dropped up to this (or twice the route's cap, if more), so the
   * client sees the 413; beyond it, answered at once and closed, and a client still sending may see
   * the connection reset instead of the answer.
   */
  private static final long DISCARD_BYTES_MAX = 16L * VALUE_BYTES_MAX;

  /**
   * TLS material as plain JDK types.
   *
   * @param keys presents this storage process's certificate
   * @param ca the cloud's CA: client certificates must be signed by it
   * @param clientRoles the certificate roles admitted as clients ({@code controller})
   * @param clock decides whether a client's certificate is valid now
   */
  public record Tls(KeyManagerFactory keys, X509Certificate ca, Set<String> clientRoles, InstantSource clock) {
    public Tls {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(ca, "ca");
      clientRoles = Set.copyOf(clientRoles);
      Objects.requireNonNull(clock, "clock");
    }
  }

  private final Vertx vertx;
  private final SystemStore store;
  private final Tls tls;
  /** Null when this process serves no objects: the digest route then answers 501. */
  private final ObjectDigester digester;
  /** Null when this process serves no objects: the bucket storage route then answers 501. */
  private final BucketStorage bucketStorage;
  /** This node's ring as JSON ({@code GET /v1/ring}); null where the process has no ring (the route answers 501). */
  private volatile java.util.function.Supplier<String> ring;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile WorkerExecutor workers;
  private volatile WorkerExecutor digestWorkers;
  /** One server per event loop on the port: a controller's start opens dozens of connections at once, each a mutual-TLS handshake. */
  private SharedPortServers servers;
  private ConnectionGuard guard;

  /** A server of the system records only. */
  public InternalKvServer(Vertx vertx, SystemStore store, Tls tls) {
    this(vertx, store, null, tls);
  }

  /** A server of the system records and of the digests of {@code objects}' objects. */
  public InternalKvServer(Vertx vertx, SystemStore store, ObjectBackend objects, Tls tls) {
    this.vertx = vertx;
    this.store = store;
    this.digester = objects == null ? null : new ObjectDigester(objects);
    this.bucketStorage = objects == null ? null : new BucketStorage(objects);
    this.tls = tls;
  }

  /**
   * Serves {@code GET /v1/ring}: this node's ring (members, partitions owned, pending handoffs), the
   * body of the Riak listener's {@code /canopy/ring}, so a controller shows the ring over this port's
   * mutual TLS. {@code ring} blocks; it runs on a worker.
   */
  public InternalKvServer withRing(java.util.function.Supplier<String> ringJson) {
    this.ring = ringJson;
    return this;
  }

  /** Listens; completes with the bound port (0 picks an ephemeral one). */
  public Future<Integer> listen(String host, int port) {
    if (servers != null) {
      return Future.failedFuture(new IllegalStateException("the internal KV server is already listening"));
    }
    guard = ConnectionGuard.of(vertx, CONNECTION_LIMITS, "internal KV");
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(KeyCertOptions.wrap(tls.keys()))
            .setTrustOptions(TrustOptions.wrap(
                new PeerTrustManager(tls.ca(), tls.clock(), tls.clientRoles(), "internal KV port", TLS_REFUSALS::warn)))
            .setClientAuth(ClientAuth.REQUIRED)
            // An encoded 1 KiB key plus namespace fits; the default 4 KiB would be too tight.
            .setMaxInitialLineLength(16 * 1024);
    guard.configure(options);
    workers = vertx.createSharedWorkerExecutor("canopy-internal-kv", WORKERS);
    digestWorkers = digester == null ? null : vertx.createSharedWorkerExecutor("canopy-object-digests", DIGEST_WORKERS);
    return SharedPortServers.listen(vertx, SharedPortServers.EVENT_LOOPS_DEFAULT, host, port,
            () -> guard.install(vertx.createHttpServer(new HttpServerOptions(options)), this::route))
        .map(bound -> {
          servers = bound;
          LOG.info("internal KV endpoint listening on {}:{}", host, bound.port());
          return bound.port();
        });
  }

  public Future<Void> close() {
    if (guard != null) {
      guard.close();
    }
    Future<Void> closed = servers == null ? Future.succeededFuture() : servers.close();
    servers = null;
    return closed.eventually(() -> {
      WorkerExecutor pool = workers;
      WorkerExecutor digestPool = digestWorkers;
      workers = null;
      digestWorkers = null;
      return Future.join(close(pool), close(digestPool)).mapEmpty();
    });
  }

  private static Future<Void> close(WorkerExecutor pool) {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private void route(HttpServerRequest request) {
    if (ObjectPaths.isObjectPath(request.path())) {
      routeDigest(request);
      return;
    }
    if (request.path().startsWith(BucketStorage.PREFIX)) {
      routeBucketStorage(request);
      return;
    }
    if (BATCH_PATH.equals(request.path())) {
      routeBatch(request);
      return;
    }
    if (RING_PATH.equals(request.path())) {
      routeRing(request);
      return;
    }
    KvRequest target;
    try {
      target = KvRequest.parse(request.method(), request.path(), request.query());
    } catch (KvRequest.Refused e) {
      reply(request, e.status, e.getMessage());
      return;
    }
    if (!admitted(request)) {
      return;
    }
    switch (target.operation()) {
      case PUT -> readBody(request, VALUE_BYTES_MAX, body -> run(request, () -> {
        store.put(target.namespace(), target.key(), body.getBytes());
        return null;
      }, ignored -> reply(request, 204, null)));
      case DELETE -> run(request, () -> {
        store.delete(target.namespace(), target.key());
        return null;
      }, ignored -> reply(request, 204, null));
      case GET -> run(request, () -> store.get(target.namespace(), target.key()), value -> {
        if (value.isPresent()) {
          request.response().setStatusCode(200).putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(value.get()));
        } else {
          request.response().putHeader(RESULT_HEADER, RESULT_MISSING);
          reply(request, 404, "no such record");
        }
      });
      case LIST -> run(request, () -> KvRecords.encode(store.loadAll(target.namespace())), bytes ->
          request.response().setStatusCode(200).putHeader("Content-Type", KvRecords.CONTENT_TYPE).end(Buffer.buffer(bytes)));
      case GET_MANY -> readBody(request, KvKeys.BODY_BYTES_MAX, body -> run(request,
          () -> KvKeys.encodeAnswer(store.getAll(target.namespace(), KvKeys.decode(body.getBytes()))), bytes ->
          request.response().setStatusCode(200).putHeader("Content-Type", KvRecords.CONTENT_TYPE).end(Buffer.buffer(bytes))));
    }
  }

  /** {@code GET /v1/ring}: 200 with this node's ring as JSON. */
  private void routeRing(HttpServerRequest request) {
    if (!HttpMethod.GET.equals(request.method())) {
      reply(request, 405, "the ring is only read here (GET)");
      return;
    }
    java.util.function.Supplier<String> view = ring;
    if (view == null) {
      reply(request, 501, "this storage process has no ring");
      return;
    }
    if (!admitted(request)) {
      return;
    }
    run(request, view::get, json -> request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(json));
  }

  /** {@code POST /v1/kv-batch}: 204 once every record is written (one synced write where the store can). */
  private void routeBatch(HttpServerRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      reply(request, 405, "a batch is only written (POST)");
      return;
    }
    if (!admitted(request)) {
      return;
    }
    readBody(request, KvWrites.BATCH_BYTES_MAX, body -> run(request, () -> {
      store.putAll(KvWrites.decode(body.getBytes()));
      return null;
    }, ignored -> reply(request, 204, null)));
  }

  /** {@code GET /v1/objects/{bucket}/{key}/digest}: 200 with the digest, 404 (missing) when there is no such object. */
  private void routeDigest(HttpServerRequest request) {
    if (!HttpMethod.GET.equals(request.method())) {
      reply(request, 405, "an object's digest is only read (GET)");
      return;
    }
    ObjectPaths.ObjectName object;
    try {
      object = ObjectPaths.parseDigestPath(request.path());
    } catch (IllegalArgumentException e) {
      reply(request, 400, e.getMessage());
      return;
    }
    if (digester == null) {
      reply(request, 501, "this storage process serves no objects");
      return;
    }
    if (!admitted(request)) {
      return;
    }
    run(digestWorkers, request, () -> digester.digest(object.bucket(), object.key()), digest -> {
      if (digest.isPresent()) {
        request.response().setStatusCode(200).putHeader("Content-Type", ObjectDigestJson.CONTENT_TYPE)
            .end(Buffer.buffer(ObjectDigestJson.encode(digest.get())));
      } else {
        request.response().putHeader(RESULT_HEADER, RESULT_MISSING);
        reply(request, 404, "no such object");
      }
    });
  }

  /**
   * {@code GET /v1/bucket-storage/{bucketId}}: 200 {@code {"bytes":N}}, what the bucket stores
   * ({@link BucketStorage}); listed on the digest pool, since it reads the whole bucket.
   */
  private void routeBucketStorage(HttpServerRequest request) {
    if (!HttpMethod.GET.equals(request.method())) {
      reply(request, 405, "a bucket's storage is only read (GET)");
      return;
    }
    String id = request.path().substring(BucketStorage.PREFIX.length());
    if (!BucketStorage.isBucketId(id)) {
      reply(request, 400, "not a bucket id");
      return;
    }
    if (bucketStorage == null) {
      reply(request, 501, "this storage process serves no objects");
      return;
    }
    if (!admitted(request)) {
      return;
    }
    run(digestWorkers, request, () -> bucketStorage.bytes(id), bytes ->
        request.response().setStatusCode(200).putHeader("Content-Type", BucketStorage.CONTENT_TYPE)
            .end(Buffer.buffer(BucketStorage.json(bytes))));
  }

  /** Counts the request in flight until its response ends; false (answered 503) when too many are. */
  private boolean admitted(HttpServerRequest request) {
    if (inFlight.incrementAndGet() > IN_FLIGHT_MAX) {
      inFlight.decrementAndGet();
      reply(request, 503, "the internal KV endpoint is saturated; retry");
      return false;
    }
    // Released exactly once, whether the response ends or the connection drops first.
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    request.response().endHandler(v -> release.run());
    request.response().closeHandler(v -> release.run());
    return true;
  }

  /** Collects a body of at most {@code bytesMax}; answers 413 itself when it is larger. */
  private void readBody(HttpServerRequest request, long bytesMax, java.util.function.Consumer<Buffer> then) {
    String declared = request.getHeader("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        reply(request, 400, "Content-Length is not a number");
        return;
      }
    }
    // Twice the cap: a batch just over it (a client's sizing bug) gets its 413, not a reset.
    long discardMax = Math.max(DISCARD_BYTES_MAX, 2 * bytesMax);
    if (length > discardMax) {
      request.response()
          .setStatusCode(413)
          .putHeader("Connection", "close")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("a body may have at most " + bytesMax + " bytes\n")
          .onComplete(v -> request.connection().close());
      return;
    }
    Buffer body = Buffer.buffer();
    long[] seen = {0};
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > discardMax) {
        request.connection().close();
      } else if (seen[0] <= bytesMax) {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(e -> LOG.debug("internal KV request body failed: {}", e.toString()));
    request.endHandler(v -> {
      if (seen[0] > bytesMax) {
        reply(request, 413, "a body may have at most " + bytesMax + " bytes, this one has " + seen[0]);
      } else {
        then.accept(body);
      }
    });
  }

  private <T> void run(HttpServerRequest request, Callable<T> call, java.util.function.Consumer<T> render) {
    run(workers, request, call, render);
  }

  private <T> void run(WorkerExecutor pool, HttpServerRequest request, Callable<T> call, java.util.function.Consumer<T> render) {
    if (pool == null) {
      reply(request, 503, "the internal KV endpoint is stopping");
      return;
    }
    pool.executeBlocking(call, false).onComplete(result -> {
      if (result.succeeded()) {
        render.accept(result.result());
      } else {
        fail(request, result.cause());
      }
    });
  }

  private void fail(HttpServerRequest request, Throwable cause) {
    if (cause instanceof KvKeys.AnswerTooLarge) {
      request.response().putHeader(RESULT_HEADER, KvKeys.RESULT_TOO_LARGE);
      reply(request, 413, cause.getMessage());
    } else if (cause instanceof KvRecords.ListingTooLarge) {
      LOG.error("internal KV {}: {}", request.path(), cause.getMessage());
      reply(request, 500, cause.getMessage());
    } else if (cause instanceof StoreException) {
      // The store changed nothing; the client may retry once the disk is fixed.
      LOG.warn("internal KV {} {}: the store failed: {}", request.method(), request.path(), cause.toString());
      reply(request, 503, "the durable store failed: " + cause.getMessage());
    } else if (cause instanceof EpochFencedStore.StaleEpochWrite) {
      LOG.warn("internal KV refused a fenced write: {}", cause.getMessage());
      reply(request, 409, cause.getMessage());
    } else if (cause instanceof IllegalArgumentException) {
      reply(request, 400, cause.getMessage());
    } else {
      // A bug: log it with its stack here, never send it.
      LOG.error("internal KV {} {} failed", request.method(), request.path(), cause);
      reply(request, 500, "internal error");
    }
  }

  private static void reply(HttpServerRequest request, int status, String message) {
    var response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (message == null) {
      response.end();
    } else {
      response.putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
  }

  /** What a request asks for, parsed from its method and raw path. */
  record KvRequest(Operation operation, String namespace, String key) {

    enum Operation { PUT, DELETE, GET, LIST, GET_MANY }

    static KvRequest parse(HttpMethod method, String rawPath, String query) throws Refused {
      if (rawPath == null || !rawPath.startsWith(KvPaths.PREFIX)) {
        throw new Refused(404, "no such endpoint; the API is /v1/kv/{namespace}[/{key}]");
      }
      String[] segments = rawPath.substring(KvPaths.PREFIX.length()).split("/", -1);
      if (segments.length > 2) {
        throw new Refused(400, "a key with '/' must be percent-encoded as %2F");
      }
      try {
        String namespace = KvPaths.decode(segments[0]);
        KvPaths.checkNamespace(namespace);
        if (segments.length == 1) {
          if (HttpMethod.GET.equals(method)) {
            return new KvRequest(Operation.LIST, namespace, null);
          }
          if (HttpMethod.POST.equals(method) && KvPaths.BATCH_READ_QUERY.equals(query)) {
            return new KvRequest(Operation.GET_MANY, namespace, null);
          }
          throw new Refused(405, "a namespace lists (GET) or reads the keys a body names (POST ?get)");
        }
        String key = KvPaths.decode(segments[1]);
        KvPaths.checkKey(key);
        Operation operation;
        if (HttpMethod.PUT.equals(method)) {
          operation = Operation.PUT;
        } else if (HttpMethod.DELETE.equals(method)) {
          operation = Operation.DELETE;
        } else if (HttpMethod.GET.equals(method)) {
          operation = Operation.GET;
        } else {
          throw new Refused(405, "a record takes GET, PUT or DELETE");
        }
        return new KvRequest(operation, namespace, key);
      } catch (IllegalArgumentException e) {
        throw new Refused(400, e.getMessage());
      }
    }

    static final class Refused extends Exception {
      final int status;

      Refused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
      }
    }
  }
}
