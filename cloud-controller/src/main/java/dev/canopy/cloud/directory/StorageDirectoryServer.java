package dev.canopy.cloud.directory;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.error.ServerFailures;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.metering.buckets.BucketUsagePushes;
import dev.canopy.core.time.Time;
import dev.canopy.storage.directory.DirectoryJson;
import dev.canopy.storage.directory.DirectoryPaths;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.s3.BucketIds;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import dev.canopy.storage.usage.BucketUsage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers' directory for storage nodes (API in {@code dev.canopy.storage.directory}'s
 * package Javadoc): access keys and bucket records, read and written through the controller's
 * {@link CredentialLookup} and {@link BucketRegistry}, over HTTPS with a client certificate
 * required. The handshake admits only {@code storage} certificates of the cloud's CA ({@link
 * DirectoryPeers}), so a request that reaches a handler comes from a storage node. Grid calls
 * block, so they run on a bounded worker pool, never on the event loop; beyond {@link
 * #IN_FLIGHT_MAX} requests at once the server answers 503 rather than queueing without end.
 */
public final class StorageDirectoryServer {

  /** Suggested port: beside the management port 8781; not in the shared design's port table. */
  public static final int DEFAULT_PORT = 8782;
  /** Worker threads for grid calls. */
  private static final int WORKERS = 8;
  static final int IN_FLIGHT_MAX = 256;

  private static final Logger LOG = LoggerFactory.getLogger(StorageDirectoryServer.class);

  private final Vertx vertx;
  private final TlsCredentials tls;
  private final CredentialLookup credentials;
  private final BucketRegistry buckets;
  private final DirectoryChanges changes;
  private final Time time;
  private final AtomicInteger inFlight = new AtomicInteger();
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private BucketUsagePushes bucketUsage;
  private volatile WorkerExecutor workers;
  private volatile String changesSource;
  private ConnectionGuard guard;
  private HttpServer server;

  /**
   * @param tls this controller's certificate (role {@code controller}, usable as a TLS server)
   * @param changes moves when keys, accounts or buckets change ({@link GridDirectoryChanges})
   * @param time checks client certificates' validity and names this server's counting
   */
  public StorageDirectoryServer(
      Vertx vertx, TlsCredentials tls, CredentialLookup credentials, BucketRegistry buckets, DirectoryChanges changes, Time time) {
    this.vertx = vertx;
    this.tls = tls;
    this.credentials = credentials;
    this.buckets = buckets;
    this.changes = changes;
    this.time = time;
  }

  /** Caps and timeouts of this port's connections; {@link ConnectionLimits#DEFAULTS} unless set. Call before {@link #listen}. */
  public StorageDirectoryServer withConnectionLimits(ConnectionLimits limits) {
    this.connectionLimits = limits;
    return this;
  }

  /** Where storage nodes' bucket usage pushes are kept; without it that route answers 404. Call before {@link #listen}. */
  public StorageDirectoryServer withBucketUsage(BucketUsagePushes pushes) {
    this.bucketUsage = pushes;
    return this;
  }

  /** Listens; completes with the bound port (0 picks an ephemeral one). */
  public synchronized Future<Integer> listen(String host, int port) {
    if (server != null) {
      return Future.failedFuture(new IllegalStateException("the directory server is already listening"));
    }
    // Counters restart with the process: a client that sees another source drops its caches.
    changesSource = tls.certificate().getSerialNumber().toString(16) + "@" + time.millis();
    guard = ConnectionGuard.of(vertx, connectionLimits, "directory");
    HttpServerOptions options = new HttpServerOptions()
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManagers()))
        .setTrustOptions(TrustOptions.wrap(DirectoryPeers.storageClients(tls, time)))
        .setClientAuth(ClientAuth.REQUIRED);
    workers = vertx.createSharedWorkerExecutor("canopy-directory", WORKERS);
    HttpServer created = guard.install(vertx.createHttpServer(guard.configure(options)), this::route);
    server = created;
    return created.listen(port, host).map(s -> {
      LOG.info("directory for storage nodes listening on {}:{}", host, s.actualPort());
      return s.actualPort();
    });
  }

  public synchronized Future<Void> close() {
    if (guard != null) {
      guard.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    server = null;
    WorkerExecutor pool = workers;
    workers = null;
    return closed.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }

  private void route(HttpServerRequest request) {
    DirectoryRoute route;
    try {
      route = DirectoryRoute.parse(request.method().name(), request.path(), request.params().getAll("owner"));
    } catch (DirectoryRoute.Refused e) {
      error(request, e.status, e.code, e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      // Vert.x refuses a malformed query string while decoding it.
      error(request, 400, DirectoryJson.BAD_REQUEST, "the query string is malformed");
      return;
    }
    if (!admitted(request)) {
      return;
    }
    String name = route.name();
    switch (route.kind()) {
      case CREDENTIAL -> run(request, () -> credentials.find(name), found -> found.ifPresentOrElse(
          credential -> json(request, 200, DirectoryJson.credential(credential)),
          () -> error(request, 404, DirectoryJson.NO_SUCH_ACCESS_KEY, "no such access key")));
      case GET_BUCKET -> run(request, () -> buckets.find(name), found -> found.ifPresentOrElse(
          bucket -> json(request, 200, DirectoryJson.bucket(bucket)),
          () -> error(request, 404, DirectoryJson.NO_SUCH_BUCKET, "no such bucket")));
      case PUT_BUCKET -> RecordBody.read(request, body -> create(request, name, body));
      case DELETE_BUCKET -> {
        // With ?id= (every storage node of this version sends it) only while the name still names that bucket.
        String id = request.getParam(DirectoryPaths.BUCKET_ID_PARAM);
        if (id != null && !BucketIds.isValid(id, name)) {
          error(request, 400, DirectoryJson.BAD_REQUEST, "not a bucket id");
          return;
        }
        run(request, () -> {
          if (id == null) {
            buckets.delete(name);
          } else {
            buckets.delete(name, id);
          }
          return null;
        }, ignored -> request.response().setStatusCode(204).end());
      }
      case LIST_BUCKETS -> run(request, () -> listed(buckets.listByOwner(name)),
          list -> json(request, 200, DirectoryJson.buckets(list)));
      case BUCKET_USAGE -> {
        BucketUsagePushes pushes = bucketUsage;
        if (pushes == null) {
          error(request, 404, DirectoryJson.NOT_FOUND, "this directory keeps no bucket usage");
          return;
        }
        RecordBody.read(request, DirectoryJson.USAGE_BYTES_MAX, body -> storeUsage(request, pushes, route, body));
      }
      case CHANGES -> json(request, 200,
          DirectoryJson.changes(new DirectoryJson.Changes(changesSource, changes.credentials(), changes.buckets())));
    }
  }

  private void create(HttpServerRequest request, String name, Buffer body) {
    BucketRecord bucket;
    try {
      bucket = DirectoryJson.bucket(body.getBytes());
    } catch (IllegalArgumentException e) {
      error(request, 400, DirectoryJson.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!bucket.name().equals(name)) {
      error(request, 400, DirectoryJson.BAD_REQUEST, "the record names another bucket than the path");
      return;
    }
    run(request, () -> buckets.create(bucket), created -> {
      if (created) {
        json(request, 201, DirectoryJson.bucket(bucket));
      } else {
        error(request, 409, DirectoryJson.BUCKET_ALREADY_EXISTS, "the bucket name is taken");
      }
    });
  }

  private void storeUsage(HttpServerRequest request, BucketUsagePushes pushes, DirectoryRoute route, Buffer body) {
    List<BucketUsage> usage;
    try {
      usage = DirectoryJson.bucketUsage(body.getBytes());
    } catch (IllegalArgumentException e) {
      error(request, 400, DirectoryJson.BAD_REQUEST, e.getMessage());
      return;
    }
    run(request, () -> {
      pushes.store(route.name(), route.hour(), usage);
      return null;
    }, ignored -> request.response().setStatusCode(204).end());
  }

  /** By name, at most {@link DirectoryJson#BUCKETS_LISTED_MAX}: the bound of one answer. */
  private static List<BucketRecord> listed(List<BucketRecord> owned) {
    return owned.stream().sorted(Comparator.comparing(BucketRecord::name)).limit(DirectoryJson.BUCKETS_LISTED_MAX).toList();
  }

  /** Counts the request in flight until its response ends or its connection drops; false (answered 503) when full. */
  private boolean admitted(HttpServerRequest request) {
    if (inFlight.incrementAndGet() > IN_FLIGHT_MAX) {
      inFlight.decrementAndGet();
      error(request, 503, DirectoryJson.UNAVAILABLE, "the directory is saturated; retry");
      return false;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    request.response().endHandler(v -> release.run());
    request.response().closeHandler(v -> release.run());
    return true;
  }

  private <T> void run(HttpServerRequest request, Callable<T> call, Consumer<T> render) {
    WorkerExecutor pool = workers;
    if (pool == null) {
      error(request, 503, DirectoryJson.UNAVAILABLE, "the directory is stopping");
      return;
    }
    pool.executeBlocking(call, false).onSuccess(render::accept).onFailure(cause -> fail(request, cause));
  }

  private void fail(HttpServerRequest request, Throwable cause) {
    if (cause instanceof HazelcastException || cause instanceof HazelcastInstanceNotActiveException
        || cause instanceof StoreException || cause instanceof RejectedExecutionException || ServerFailures.isUnavailable(cause)) {
      // The grid or its store could not answer; another controller may. The cause stays in the log.
      LOG.warn("directory {} {}: the grid failed: {}", request.method(), request.path(), cause.toString());
      error(request, 503, DirectoryJson.UNAVAILABLE, "the grid cannot answer right now");
    } else {
      LOG.error("directory {} {} failed", request.method(), request.path(), cause);
      error(request, 500, DirectoryJson.INTERNAL_ERROR, "internal error");
    }
  }

  private static Future<Void> json(HttpServerRequest request, int status, byte[] body) {
    var response = request.response();
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    // Credentials carry secrets: nothing on the way may keep a copy.
    return response.setStatusCode(status)
        .putHeader("Content-Type", DirectoryJson.CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(body));
  }

  static Future<Void> error(HttpServerRequest request, int status, String code, String message) {
    return json(request, status, DirectoryJson.error(code, message));
  }
}
