package dev.canopy.cloud.consoles3;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.http.UriEncoding;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.ContentDisposition;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.identity.IdentityService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/s3/...}: a console session's buckets and objects, each call made to the cloud's S3 as
 * the session's account (see the package). The operator has no buckets: its session gets 403
 * {@code AccessDenied}; every change needs the session's CSRF token.
 *
 * <pre>
 * GET    /api/s3/buckets                          {"buckets": [{name, createdAt}]}
 * PUT    /api/s3/buckets/{bucket}                 create (201)
 * DELETE /api/s3/buckets/{bucket}                 delete (204; S3's BucketNotEmpty when not empty)
 * GET    /api/s3/buckets/{bucket}/objects?prefix=&amp;token=&amp;max=   one page of a folder (delimiter '/')
 * GET    /api/s3/buckets/{bucket}/object?key=     the object as a download, streamed
 * PUT    /api/s3/buckets/{bucket}/object?key=     the body becomes the object, streamed (201 {"etag"})
 * DELETE /api/s3/buckets/{bucket}/object?key=     delete (204)
 * </pre>
 */
public final class S3Proxy implements ConsoleRoutes {

  private final Vertx vertx;
  private final SessionCallers sessions;
  private final IdentityService identity;
  private final S3Upstream upstream;
  private final SignedCalls answers;

  /**
   * @param endpoints the cloud's S3 endpoints (the storage nodes'; the cloud in a box's own)
   * @param region the region requests are signed for
   */
  public S3Proxy(Vertx vertx, SessionCallers sessions, IdentityService identity, Supplier<List<URI>> endpoints, String region,
      InstantSource clock) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.identity = identity;
    this.upstream = new S3Upstream(vertx, endpoints, region, clock);
    this.answers = new SignedCalls(vertx, null, LoggerFactory.getLogger(S3Proxy.class));
  }

  @Override
  public void mount(Router router) {
    // Nothing of a body is read before the session and the bucket are checked: an upload then
    // streams straight on to S3.
    router.route("/api/s3/*").handler(ctx -> {
      ctx.request().pause();
      ctx.next();
    });
    router.get("/api/s3/buckets").handler(ctx -> call(ctx, 200,
        () -> S3Upstream.Request.bodiless(HttpMethod.GET, "/", null), json(S3Answers::buckets)));
    router.put("/api/s3/buckets/:bucket").handler(ctx -> call(ctx, 201,
        () -> S3Upstream.Request.bodiless(HttpMethod.PUT, bucketPath(ctx), null), done()));
    router.delete("/api/s3/buckets/:bucket").handler(ctx -> call(ctx, 204,
        () -> S3Upstream.Request.bodiless(HttpMethod.DELETE, bucketPath(ctx), null), done()));
    router.get("/api/s3/buckets/:bucket/objects").handler(ctx -> call(ctx, 200,
        () -> S3Upstream.Request.bodiless(HttpMethod.GET, bucketPath(ctx), listQuery(ctx)), json(S3Answers::listing)));
    router.get("/api/s3/buckets/:bucket/object").handler(ctx -> call(ctx, 200,
        () -> S3Upstream.Request.bodiless(HttpMethod.GET, objectPath(ctx), null), this::download));
    router.put("/api/s3/buckets/:bucket/object").handler(ctx -> call(ctx, 201, () -> upload(ctx), done()));
    router.delete("/api/s3/buckets/:bucket/object").handler(ctx -> call(ctx, 204,
        () -> S3Upstream.Request.bodiless(HttpMethod.DELETE, objectPath(ctx), null), done()));
    router.route("/api/s3/*").handler(ctx -> answers.error(ctx, 404, "NotFound", "no such console S3 resource"));
  }

  /** What to make of S3's successful answer; a refusal is answered by {@link #call} itself. */
  @FunctionalInterface
  private interface Answer {
    void send(RoutingContext ctx, int status, HttpClientResponse s3);
  }

  /**
   * The session and its account's key are read off the event loop (grid reads), then the request is
   * checked and sent to S3, and S3's answer relayed.
   */
  private void call(RoutingContext ctx, int status, Supplier<S3Upstream.Request> request, Answer answer) {
    vertx.executeBlocking(() -> new Prepared(credentialOf(ctx), request.get()), false)
        .compose(prepared -> upstream.send(prepared.request(), prepared.credential()))
        .compose(s3 -> {
          if (s3.statusCode() / 100 == 2) {
            answer.send(ctx, status, s3);
            return Future.succeededFuture();
          }
          return s3.body().compose(bytes -> Future.failedFuture(S3Answers.error(s3.statusCode(), bytes.getBytes())));
        })
        .onFailure(failure -> {
          if (ctx.response().headWritten()) {
            ctx.response().reset();
          } else {
            answers.fail(ctx, failure);
          }
        });
  }

  private record Prepared(Credential credential, S3Upstream.Request request) {}

  /** Blocking: the session's account's key; 401 without a session, 403 for the operator or without the CSRF token on a change. */
  private Credential credentialOf(RoutingContext ctx) {
    Principal caller = sessions.principal(ctx.request());
    if (IdentityService.ADMIN_ACCOUNT_ID.equals(caller.accountId())) {
      throw ApiError.accessDenied("the operator has no buckets: log in as a tenant");
    }
    return identity.credentialOf(caller.accountId())
        .orElseThrow(() -> ApiError.accessDenied("the account has no access key to make S3 requests with"));
  }

  private static String bucketPath(RoutingContext ctx) {
    return "/" + S3Names.bucket(ctx.pathParam("bucket"));
  }

  private static String objectPath(RoutingContext ctx) {
    return bucketPath(ctx) + "/" + UriEncoding.encodePath(S3Names.key(ctx.queryParams().get("key")));
  }

  /** ListObjectsV2 of one folder: the prefix, '/' as the delimiter, a page size and the page's token. */
  private static String listQuery(RoutingContext ctx) {
    var params = ctx.queryParams();
    String query = "list-type=2&delimiter=%2F&prefix=" + UriEncoding.encode(S3Names.prefix(params.get("prefix")))
        + "&max-keys=" + S3Names.pageSize(params.get("max"));
    String token = S3Names.token(params.get("token"));
    return token == null ? query : query + "&continuation-token=" + UriEncoding.encode(token);
  }

  /** PutObject with the browser's body, which must say its length (S3 needs it; 411 otherwise). */
  private static S3Upstream.Request upload(RoutingContext ctx) {
    String path = objectPath(ctx);
    String length = ctx.request().getHeader("content-length");
    if (length == null || !length.matches("[0-9]{1,19}")) {
      throw new ApiError(411, "MissingContentLength", "an upload must state its Content-Length");
    }
    return new S3Upstream.Request(HttpMethod.PUT, path, null, ctx.request(), length);
  }

  private Answer json(Function<byte[], Object> parse) {
    return (ctx, status, s3) -> s3.body().onSuccess(bytes -> {
      try {
        ctx.response().setStatusCode(status)
            .putHeader("content-type", "application/json")
            .putHeader("cache-control", "no-store")
            .end(Buffer.buffer(answers.json().writeValueAsBytes(parse.apply(bytes.getBytes()))));
      } catch (Exception e) {
        answers.fail(ctx, e);
      }
    }).onFailure(failure -> answers.fail(ctx, failure));
  }

  /** A change S3 made: its ETag when it gave one (uploads), else no body. */
  private Answer done() {
    return (ctx, status, s3) -> s3.body().onComplete(ignored -> {
      String etag = s3.getHeader("etag");
      if (status == 204 || etag == null) {
        ctx.response().setStatusCode(status == 204 ? 204 : status).end();
      } else {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(answers.json().createObjectNode().put("etag", etag).toString());
      }
    });
  }

  /**
   * The object as a download under its name, streamed at the pace the browser takes it. Always
   * {@code application/octet-stream}: a stored content type of {@code text/html} must never make the
   * console's own origin render a tenant's file.
   */
  private void download(RoutingContext ctx, int status, HttpClientResponse s3) {
    HttpServerResponse response = ctx.response().setStatusCode(status)
        .putHeader("content-type", "application/octet-stream")
        .putHeader("content-disposition", ContentDisposition.attachment(S3Names.fileName(ctx.queryParams().get("key"))))
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("cache-control", "no-store");
    for (String name : List.of("content-length", "etag", "last-modified")) {
      String value = s3.getHeader(name);
      if (value != null) {
        response.putHeader(name, value);
      }
    }
    if (s3.getHeader("content-length") == null) {
      response.setChunked(true);
    }
    s3.pipeTo(response);
  }

}
