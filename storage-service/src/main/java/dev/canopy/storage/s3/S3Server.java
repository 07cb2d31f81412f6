package dev.canopy.storage.s3;

import dev.canopy.api.auth.AnonymousRequest;
import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.api.auth.PostPolicyVerifier;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.api.auth.VerifiedRequest;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.SharedPortServers;
import dev.canopy.api.http.RequestHead;
import dev.canopy.api.http.UndecodableRequest;
import dev.canopy.api.http.VertxRequestHeads;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.usage.BucketUsageMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The S3 REST endpoint. Every request: parse the target (virtual-host or path style) and pick
 * the operation, then on a worker verify its SigV4 signature (or take an unsigned request as
 * anonymous) and, for bucket-scoped operations, that the bucket's owner, policy or ACLs let the
 * requester do it ({@link AccessControl}), and refuse headers asking for what Canopy does not
 * do ({@link RequestHeaderRules}); then the operation's handler runs. Errors become
 * S3 {@code <Error>} documents; an unavailable store or grid becomes ServiceUnavailable (503) and any
 * other unexpected exception InternalError, logged once.
 *
 * <p>Threading: HTTP runs on one Vert.x event loop; storage and registry calls run on a shared
 * worker pool named {@code canopy-s3} of {@link S3ServerConfig#workerThreads()} threads.
 * Lifecycle: construct, {@link #start()}, {@link #close()}; close before closing the backend.
 */
public final class S3Server {

  private final Vertx vertx;
  private final S3ServerConfig config;
  private final BucketRegistry registry;
  private final SigV4Verifier verifier;
  private final String objectReaderAccount;
  private final S3Metrics metrics;
  private final BucketHandlers buckets;
  private final ListingHandlers listings;
  private final ObjectHandlers objects;
  private final DeleteObjectsHandler multiDelete;
  private final MultipartHandlers multipart;
  private final PartCopyHandler partCopy;
  private final TaggingHandlers tagging;
  private final CorsHandlers cors;
  private final CorsPreflight preflight;
  private final CorsHeaders corsHeaders;
  private final PostObjectHandler postObject;
  private final BucketTaggingHandlers bucketTagging;
  private final LifecycleHandlers lifecycle;
  /** Each bucket's configuration documents, for every handler that a document governs. */
  private final BucketConfigs configs;
  private final AccessControl access;
  private final AclHandlers acls;
  private final PolicyHandlers policies;
  private final ObjectAttributesHandler attributes;
  private final VersioningHandlers versioning;
  private final InstantSource clock;
  private final String requestIdPrefix;
  private final AtomicLong requestSequence = new AtomicLong();
  private WorkerExecutor workers;
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private S3AccountGate gate = new S3AccountGate(S3AccountLimits.DEFAULTS, SystemTime.INSTANCE);
  private ConnectionGuard guard;
  private Future<SharedPortServers> starting;
  private volatile SharedPortServers servers;
  private BucketUsageMeter usage;

  /**
   * The account of the cloud's image-reader credential, which controllers derive and presign image
   * downloads with: a ':' puts it outside the tenant id space (twelve digits).
   */
  public static final String IMAGE_READER_ACCOUNT = "canopy:image-reader";

  /**
   * The query parameter of the image reader's links that names the id of the bucket the image was
   * registered from; a link whose bucket name now belongs to another bucket gets NoSuchBucket.
   */
  public static final String IMAGE_BUCKET_ID_PARAM = "x-canopy-bucket-id";

  /** @param random draws new buckets' ids ({@link BucketIds}) */
  public S3Server(
      Vertx vertx, S3ServerConfig config, CredentialLookup credentials, BucketRegistry registry,
      ObjectBackend backend, InstantSource clock, MeterRegistry meters, RandomGenerator random) {
    this(vertx, config, credentials, registry, backend, clock, meters, null, random);
  }

  /**
   * @param objectReaderAccount an internal account that may GET and HEAD objects in every bucket:
   *     the cloud presigns image downloads for node agents with it. Null: none. No tenant account
   *     id can take this value (the controller picks one outside the tenant id space).
   * @param random draws new buckets' ids ({@link BucketIds})
   */
  public S3Server(
      Vertx vertx, S3ServerConfig config, CredentialLookup credentials, BucketRegistry registry,
      ObjectBackend backend, InstantSource clock, MeterRegistry meters, String objectReaderAccount,
      RandomGenerator random) {
    this.objectReaderAccount = objectReaderAccount;
    this.clock = clock;
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.verifier = new SigV4Verifier(
        credentials, clock, SigV4Verifier.SKEW_MAX_DEFAULT, config.region(), config.regionPolicy(), "s3");
    this.metrics = new S3Metrics(meters);
    this.configs = new BucketConfigs(backend, SystemTime.INSTANCE);
    this.access = new AccessControl(configs, backend);
    this.acls = new AclHandlers(backend, configs);
    this.policies = new PolicyHandlers(configs, access);
    this.buckets = new BucketHandlers(registry, backend, configs, config.region(), clock, new BucketIds(random));
    this.listings = new ListingHandlers(backend);
    this.objects = new ObjectHandlers(backend, registry, access, configs);
    this.multiDelete = new DeleteObjectsHandler(backend, access, configs);
    this.multipart = new MultipartHandlers(backend, configs);
    this.partCopy = new PartCopyHandler(backend, registry, access);
    this.tagging = new TaggingHandlers(backend);
    this.cors = new CorsHandlers(configs);
    this.preflight = new CorsPreflight(registry, configs);
    this.corsHeaders = new CorsHeaders(registry, configs);
    this.postObject = new PostObjectHandler(backend, registry, access,
        new PostPolicyVerifier(credentials, config.region(), config.regionPolicy(), "s3"), clock, configs);
    this.bucketTagging = new BucketTaggingHandlers(configs);
    this.lifecycle = new LifecycleHandlers(configs, random);
    this.attributes = new ObjectAttributesHandler(backend);
    this.versioning = new VersioningHandlers(backend, configs);
    // Request ids only need to be unique for log correlation: a per-process prefix (the start's
    // millisecond) plus a counter. No randomness needed, so none to inject.
    this.requestIdPrefix = String.format(Locale.ROOT, "%08X", (int) clock.millis());
  }

  /** Caps and timeouts of this port's connections; {@link ConnectionLimits#DEFAULTS} unless set. Call before {@link #start()}. */
  public S3Server withConnectionLimits(ConnectionLimits limits) {
    this.connectionLimits = limits;
    return this;
  }

  /**
   * Per-account limits of this endpoint ({@link S3AccountLimits#DEFAULTS} unless set), with the
   * monotonic clock their request rate is measured on. Call before {@link #start()}.
   */
  public S3Server withAccountLimits(S3AccountLimits limits, Time time) {
    this.gate = new S3AccountGate(limits, time);
    return this;
  }

  /**
   * Counts every request that named an existing bucket into {@code meter} (its owner pays, per
   * {@link RequestClass}); none unless set. Call before {@link #start()}.
   */
  public S3Server withUsageMeter(BucketUsageMeter meter) {
    this.usage = meter;
    return this;
  }

  /** Binds the port; the future completes with the bound port once requests are accepted. */
  public synchronized Future<Integer> start() {
    if (starting != null) {
      throw new IllegalStateException("already started");
    }
    workers = vertx.createSharedWorkerExecutor("canopy-s3", config.workerThreads());
    guard = ConnectionGuard.of(vertx, connectionLimits, "S3");
    // Served from one event loop per core: HTTP parsing and SigV4 of a busy port need more than one.
    starting = SharedPortServers.listen(vertx, SharedPortServers.EVENT_LOOPS_DEFAULT, config.host(), config.port(),
            () -> UndecodableRequest.answerIn(guard.install(vertx.createHttpServer(serverOptions()), this::handle), this::refuseUndecodable))
        .onSuccess(bound -> servers = bound);
    return starting.map(SharedPortServers::port);
  }

  private HttpServerOptions serverOptions() {
    return guard.configure(new HttpServerOptions())
        // 100-continue is answered by hand, after authentication (S3Exchange.sendContinue).
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        // S3 speaks HTTP/1.1; refusing h2c upgrades keeps one request model to reason about.
        .setHttp2ClearTextEnabled(false);
  }

  /** The bound port; only after {@link #start()} completed. */
  public int port() {
    SharedPortServers bound = servers;
    if (bound == null) {
      throw new IllegalStateException("not started");
    }
    return bound.port();
  }

  /** Stops accepting, closes connections and the worker pool. */
  public synchronized Future<Void> close() {
    if (starting == null) {
      return Future.succeededFuture();
    }
    guard.close();
    Future<Void> closed = starting.transform(bound -> bound.succeeded() ? bound.result().close() : Future.succeededFuture());
    WorkerExecutor pool = workers;
    return closed.eventually(() -> pool.close());
  }

  private String nextRequestId() {
    return requestIdPrefix + Long.toHexString(requestSequence.incrementAndGet()).toUpperCase(Locale.ROOT);
  }

  /** A request the HTTP decoder refused (too long, not HTTP) still gets S3's XML error. */
  private void refuseUndecodable(UndecodableRequest why, HttpServerRequest request) {
    AwsException error = switch (why) {
      case URI_TOO_LONG -> S3Error.INVALID_URI.exception();
      case HEADERS_TOO_LARGE -> S3Error.REQUEST_HEADER_SECTION_TOO_LARGE.exception();
      case MALFORMED -> S3Error.INVALID_REQUEST.exception(why.message());
    };
    request.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/xml")
        .end(S3Errors.toXml(error, null, nextRequestId()));
  }

  private void handle(HttpServerRequest request) {
    // Nothing may be read before the signature is checked, and the check runs on a worker.
    request.pause();
    long startNanos = SystemTime.INSTANCE.nanoTime();
    String requestId = nextRequestId();
    RequestHead head = VertxRequestHeads.of(request);
    S3Exchange exchange;
    try {
      RequestTarget target = RequestTarget.parse(request.getHeader("Host"), head.rawPath(), config.baseDomain());
      QueryParams query = QueryParams.parse(head.rawQuery());
      Operation operation = S3Router.route(head.method(), target, query, request.getHeader("x-amz-copy-source") != null);
      exchange = new S3Exchange(request, requestId, target, query, head, operation, workers, gate);
    } catch (RuntimeException e) {
      // An unparseable target (InvalidURI) is answered like any other error, unsigned.
      S3Exchange unrouted = new S3Exchange(request, requestId, new RequestTarget(null, null), QueryParams.parse(""),
          head, Operation.NOT_IMPLEMENTED, workers, gate);
      recordMetrics(unrouted, startNanos);
      unrouted.fail(e);
      return;
    }
    recordMetrics(exchange, startNanos);
    if (exchange.operation == Operation.PREFLIGHT) {
      preflight.answer(exchange).onFailure(exchange::fail); // unauthenticated by definition
      return;
    }
    if (exchange.operation == Operation.GET_OBJECT) {
      // The object is opened (and a small one read) in the worker step that checks the request:
      // every step on the worker pool costs two thread hand-offs, more than a small GET's own work.
      exchange.blocking(() -> {
            checkOnWorker(exchange);
            return objects.openForGet(exchange);
          })
          .compose(opened -> objects.getObject(exchange, opened))
          .onFailure(exchange::fail);
      return;
    }
    if (exchange.operation == Operation.PUT_OBJECT) {
      // Likewise the blob a PUT writes into is made in the step that checks the request.
      exchange.blocking(() -> {
            checkOnWorker(exchange);
            return objects.newBlob();
          })
          .compose(blob -> objects.putObject(exchange, blob))
          .onFailure(exchange::fail);
      return;
    }
    exchange.blocking(() -> {
          checkOnWorker(exchange);
          return null;
        })
        .compose(v -> dispatch(exchange))
        .onFailure(exchange::fail);
  }

  /** A request's first worker step: its CORS headers, then its signature and access. */
  private void checkOnWorker(S3Exchange exchange) throws Exception {
    corsHeaders.applyTo(exchange); // first, so that error answers carry them too
    // A browser form carries its signature in its fields: PostObjectHandler authenticates it.
    if (exchange.operation != Operation.POST_OBJECT) {
      authorize(exchange);
    }
  }

  private void recordMetrics(S3Exchange ex, long startNanos) {
    AtomicBoolean metered = new AtomicBoolean();
    ex.response.endHandler(v -> {
      metrics.record(ex.operation, ex.response.getStatusCode(), SystemTime.INSTANCE.nanoTime() - startNanos);
      if (metered.compareAndSet(false, true)) {
        meter(ex);
      }
    });
    // A download abandoned mid-body never ends: it is counted, with the bytes sent, when the client goes.
    ex.onClientGone(() -> {
      if (metered.compareAndSet(false, true)) {
        meter(ex);
      }
    });
  }

  /**
   * Counts a request that ended, or a download its client abandoned, to its bucket's owner: only
   * when the bucket was found and the access check passed (a bad signature or a refused caller
   * costs the owner nothing), and never the cloud's own image downloads. An abandoned download's
   * bytes out are those written to the connection before the client went.
   */
  private void meter(S3Exchange ex) {
    BucketUsageMeter meter = usage;
    BucketRecord bucket = ex.meteredBucket();
    if (meter == null || bucket == null || isImageReader(ex)) {
      return;
    }
    RequestClass billed = RequestClass.of(ex.operation);
    // The object's bytes, not an error document's.
    int status = ex.response.getStatusCode();
    long bytesOut = RequestClass.billsBytesOut(ex.operation) && status >= 200 && status < 300 ? ex.response.bytesWritten() : 0;
    if (billed == RequestClass.TIER1 || billed == RequestClass.TIER2 || bytesOut > 0) {
      meter.record(bucket.ownerAccountId(), bucket.name(), billed == RequestClass.TIER1, billed == RequestClass.TIER2, bytesOut,
          clock.instant());
    }
  }

  /**
   * On a worker: the signature (none at all makes the request anonymous), then whether the
   * requester may do this to the addressed bucket ({@link AccessControl}).
   */
  private Void authorize(S3Exchange ex) throws Exception {
    ex.authenticated(authenticate(ex.head));
    boolean anonymous = ex.principal().isAnonymous();
    if (!anonymous) {
      UnsignedHeaders.check(ex.head, ex.signedHeaders());
    }
    if (!isImageReader(ex) && !anonymous) {
      // The cloud's own image reader serves every node's downloads: one account, never throttled.
      ex.gate().admitRequest(ex.principal().accountId());
    }
    if (anonymous && !ex.operation.needsOwnedBucket()) {
      throw S3Error.ACCESS_DENIED.exception(); // listing one's buckets, creating one: never anonymous
    }
    if (ex.operation.needsOwnedBucket()) {
      BucketRecord bucket = registry.find(ex.target.bucket()).orElseThrow(S3Errors::noSuchBucket);
      if (anonymous) {
        ex.gate().admitRequest(bucket.ownerAccountId()); // the owner's bucket pays for its public
      }
      // Another account's bucket is indistinguishable from a forbidden one, as on AWS.
      if (!readsForTheCloud(ex)) {
        access.check(ex, bucket);
      }
      if (isImageReader(ex) && !ex.query.get(IMAGE_BUCKET_ID_PARAM).map(bucket.id()::equals).orElse(false)) {
        // The image's bucket was deleted; this name now belongs to another bucket (maybe another account's).
        throw S3Errors.noSuchBucket();
      }
      ex.bucket(bucket);
    }
    RequestHeaderRules.check(ex.head, ex.operation.needsOwnedBucket() ? ex.bucket().ownerAccountId() : null);
    return null;
  }

  private VerifiedRequest authenticate(RequestHead head) throws AuthException {
    try {
      return verifier.verify(head);
    } catch (AuthException e) {
      if (e.kind() == AuthException.Kind.MISSING) {
        return AnonymousRequest.of(head);
      }
      throw e;
    }
  }

  private boolean readsForTheCloud(S3Exchange ex) {
    return isImageReader(ex) && (ex.operation == Operation.GET_OBJECT || ex.operation == Operation.HEAD_OBJECT);
  }

  private boolean isImageReader(S3Exchange ex) {
    return objectReaderAccount != null && objectReaderAccount.equals(ex.principal().accountId());
  }

  private Future<Void> dispatch(S3Exchange ex) {
    return switch (ex.operation) {
      case LIST_BUCKETS -> buckets.listBuckets(ex);
      case CREATE_BUCKET -> buckets.createBucket(ex);
      case HEAD_BUCKET -> buckets.headBucket(ex);
      case DELETE_BUCKET -> buckets.deleteBucket(ex);
      case GET_BUCKET_LOCATION -> buckets.location(ex);
      case GET_BUCKET_ACL -> acls.getBucketAcl(ex);
      case PUT_BUCKET_ACL -> acls.putBucketAcl(ex);
      case GET_BUCKET_POLICY -> policies.get(ex);
      case PUT_BUCKET_POLICY -> policies.put(ex);
      case DELETE_BUCKET_POLICY -> policies.delete(ex);
      case GET_BUCKET_POLICY_STATUS -> policies.status(ex);
      case GET_BUCKET_VERSIONING -> versioning.get(ex);
      case PUT_BUCKET_VERSIONING -> versioning.put(ex);
      case LIST_OBJECT_VERSIONS -> versioning.listVersions(ex);
      case LIST_OBJECTS -> listings.listV1(ex);
      case LIST_OBJECTS_V2 -> listings.listV2(ex);
      case LIST_MULTIPART_UPLOADS -> listings.listUploads(ex);
      case DELETE_OBJECTS -> multiDelete.deleteObjects(ex);
      case PUT_OBJECT -> objects.putObject(ex);
      case COPY_OBJECT -> objects.copyObject(ex);
      case GET_OBJECT -> objects.getObject(ex);
      case HEAD_OBJECT -> objects.headObject(ex);
      case DELETE_OBJECT -> objects.deleteObject(ex);
      case GET_OBJECT_ACL -> versioning.currentVersionOnly(ex, () -> acls.getObjectAcl(ex));
      case PUT_OBJECT_ACL -> versioning.currentVersionOnly(ex, () -> acls.putObjectAcl(ex));
      case GET_OBJECT_TAGGING -> tagging.getObjectTagging(ex);
      case PUT_OBJECT_TAGGING -> tagging.putObjectTagging(ex);
      case DELETE_OBJECT_TAGGING -> tagging.deleteObjectTagging(ex);
      case GET_BUCKET_TAGGING -> bucketTagging.get(ex);
      case PUT_BUCKET_TAGGING -> bucketTagging.put(ex);
      case DELETE_BUCKET_TAGGING -> bucketTagging.delete(ex);
      case GET_BUCKET_LIFECYCLE -> lifecycle.get(ex);
      case PUT_BUCKET_LIFECYCLE -> lifecycle.put(ex);
      case DELETE_BUCKET_LIFECYCLE -> lifecycle.delete(ex);
      case GET_OBJECT_ATTRIBUTES -> versioning.currentVersionOnly(ex, () -> attributes.getObjectAttributes(ex));
      case CREATE_MULTIPART_UPLOAD -> multipart.create(ex);
      case UPLOAD_PART -> multipart.uploadPart(ex);
      case UPLOAD_PART_COPY -> partCopy.uploadPartCopy(ex);
      case COMPLETE_MULTIPART_UPLOAD -> multipart.complete(ex);
      case ABORT_MULTIPART_UPLOAD -> multipart.abort(ex);
      case LIST_PARTS -> multipart.listParts(ex);
      case PUT_BUCKET_CORS -> cors.put(ex);
      case GET_BUCKET_CORS -> cors.get(ex);
      case DELETE_BUCKET_CORS -> cors.delete(ex);
      case POST_OBJECT -> postObject.postObject(ex);
      case PREFLIGHT -> Future.failedFuture(new IllegalStateException("a preflight is answered before dispatch"));
      case NOT_IMPLEMENTED -> Future.failedFuture(StorageErrors.notImplemented(ex.head.rawQuery()));
      case METHOD_NOT_ALLOWED -> Future.failedFuture(new dev.canopy.api.error.AwsException(
          405, "MethodNotAllowed", "The specified method is not allowed against this resource."));
    };
  }
}
