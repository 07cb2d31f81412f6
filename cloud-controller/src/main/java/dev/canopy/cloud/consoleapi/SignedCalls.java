package dev.canopy.cloud.consoleapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.ServerFailures;
import dev.canopy.api.http.VertxRequestHeads;
import dev.canopy.api.log.LogText;
import dev.canopy.cloud.identity.IdentityException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * Runs a console API call: the SigV4 signature (over the body as received), or a console session
 * when {@link #withSessions} allows them, is checked and the action runs on a worker thread, since grid and store reads block; its result is answered as JSON
 * (or written out as a {@link StreamedBody}), and any failure as the JSON error {@code {"code", "message"}}.
 */
public final class SignedCalls {

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final Logger log;
  private SessionCallers sessions;
  /** What a call that wrote its answer itself returns to the event loop: nothing left to send. */
  private static final Object STREAMED = new Object();

  private final ObjectMapper json =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** What a route does once the request's signature is checked, given who signed it; runs off the event loop. */
  @FunctionalInterface
  public interface Action {
    /** @return the answer's body: serialised as JSON, written out when a {@link StreamedBody}, none when null */
    Object run(Principal caller) throws Exception;
  }

  /** @param log where unexpected failures are logged, named after the API */
  public SignedCalls(Vertx vertx, SigV4Verifier verifier, Logger log) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.log = log;
  }

  /** Also accepts console sessions (a cookie, and a CSRF header on changes) in place of a signature. */
  public SignedCalls withSessions(SessionCallers sessions) {
    this.sessions = sessions;
    return this;
  }

  public void call(RoutingContext ctx, int status, Action action) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    var head = VertxRequestHeads.of(ctx.request());
    boolean bySession = !signed(ctx) && sessions != null && SessionCallers.tokenOf(ctx.request()) != null;
    vertx.executeBlocking(() -> {
          Principal caller = bySession ? sessions.principal(ctx.request()) : verifier.verifyWhole(head, body);
          Object result = action.run(caller);
          if (result instanceof StreamedBody streamed) {
            stream(ctx, status, streamed);
            return STREAMED;
          }
          return result;
        }, false)
        .onSuccess(result -> {
          if (result != STREAMED) {
            respond(ctx, status, result);
          }
        })
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * Writes the body out on this worker thread. A failure before the first chunk is answered as any
   * other; after it the status is sent and an error body cannot follow, so the connection is reset:
   * the client sees the answer cut short (no final chunk), never a complete-looking one.
   */
  private void stream(RoutingContext ctx, int status, StreamedBody body) throws Exception {
    HttpServerResponse response = ctx.response()
        .setStatusCode(status)
        .setChunked(true)
        .putHeader("content-type", body.contentType())
        .putHeader("cache-control", "no-store");
    if (body.downloadName() != null) {
      response.putHeader("content-disposition", ContentDisposition.attachment(body.downloadName()));
    }
    // Closed (which ends the answer) only once written whole: never on a failure, which must not
    // look like a complete answer.
    ResponseWriter out = new ResponseWriter(response);
    try {
      body.writing().writeTo(out);
      out.close();
    } catch (Exception e) {
      if (!response.headWritten()) {
        throw e;
      }
      log.warn("answer to {} {} cut short: {}", ctx.request().method(), LogText.escape(ctx.request().path()), e.toString());
      response.reset();
    }
  }

  /**
   * Refuses a request that carries no signature at all before its body is read.
   *
   * @param message what the 403 {@code AccessDenied} says is needed
   */
  public Handler<RoutingContext> refusingUnsigned(String message) {
    return ctx -> {
      if (signed(ctx) || (sessions != null && SessionCallers.tokenOf(ctx.request()) != null)) {
        ctx.next();
      } else {
        error(ctx, 403, "AccessDenied", message);
      }
    };
  }

  /**
   * Refuses a request with neither a signature nor a session cookie with 401 {@code NoSession}
   * before its body is read: for the console's own calls, whose callers are mostly browsers.
   */
  public Handler<RoutingContext> refusingAnonymous() {
    return ctx -> {
      if (signed(ctx) || (sessions != null && SessionCallers.tokenOf(ctx.request()) != null)) {
        ctx.next();
      } else {
        error(ctx, 401, "NoSession", "log in to the console, or sign the request");
      }
    };
  }

  private static boolean signed(RoutingContext ctx) {
    return ctx.request().getHeader("authorization") != null || ctx.request().params().contains("X-Amz-Signature");
  }

  /** The one mapping of a failure to the JSON error; unexpected ones are logged, never sent back. */
  public void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiError e) {
      error(ctx, e.httpStatus(), e.code(), e.getMessage());
    } else if (failure instanceof AuthException auth) {
      error(ctx, 403, authCode(auth.kind()), auth.getMessage());
    } else if (failure instanceof IdentityException e) {
      error(ctx, e.reason().httpStatus, codeOf(e.reason()), e.getMessage());
    } else if (failure instanceof AwsException e) {
      // An AWS API's own refusal (EC2's through the console): its code and status, no log line.
      error(ctx, e.httpStatus(), e.code(), e.getMessage());
    } else {
      // The one mapping every API shares: an unavailable store or grid (also a minority member's
      // grid) is 503 ServiceUnavailable, which another controller or a retry may serve; else 500.
      ServerFailures.log(log, "request " + ctx.request().method() + " " + LogText.escape(ctx.request().path()), failure);
      AwsException answer = ServerFailures.toAwsError(failure);
      error(ctx, answer.httpStatus(), answer.code(), answer.getMessage());
    }
  }

  public void error(RoutingContext ctx, int status, String code, String message) {
    ObjectNode body = json.createObjectNode().put("code", code).put("message", message);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
  }

  /** The JSON this API writes (ISO-8601 instants). */
  public ObjectMapper json() {
    return json;
  }

  private void respond(RoutingContext ctx, int status, Object result) {
    if (result == null) {
      ctx.response().setStatusCode(status).end();
      return;
    }
    try {
      Buffer body = Buffer.buffer(json.writeValueAsBytes(result));
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(body);
    } catch (IOException e) {
      fail(ctx, e);
    }
  }

  private static String authCode(AuthException.Kind kind) {
    return switch (kind) {
      case MISSING -> "AccessDenied";
      case UNKNOWN_ACCESS_KEY -> "InvalidAccessKeyId";
      case SIGNATURE_MISMATCH -> "SignatureDoesNotMatch";
      case TIME_SKEWED, EXPIRED -> "RequestExpired";
      default -> "AccessDenied";
    };
  }

  private static String codeOf(IdentityException.Reason reason) {
    return switch (reason) {
      case INVALID_NAME -> "InvalidName";
      case ALREADY_EXISTS -> "AccountAlreadyExists";
      case NOT_FOUND -> "NoSuchAccount";
      case DELETE_CONFLICT -> "DeleteConflict";
      case NO_SUCH_KEY -> "NoSuchEntity";
      case LIMIT_EXCEEDED -> "LimitExceeded";
    };
  }
}
