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
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * Runs a console API call: the SigV4 signature (over the body as received) is checked and the
 * action runs on a worker thread, since grid and store reads block; its result is answered as JSON
 * (or as a {@link TextBody}), and any failure as the JSON error {@code {"code", "message"}}.
 */
public final class SignedCalls {

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final Logger log;
  private final ObjectMapper json =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** What a route does once the request's signature is checked, given who signed it; runs off the event loop. */
  @FunctionalInterface
  public interface Action {
    /** @return the answer's body: serialised as JSON, sent as it is when a {@link TextBody}, none when null */
    Object run(Principal caller) throws Exception;
  }

  /** @param log where unexpected failures are logged, named after the API */
  public SignedCalls(Vertx vertx, SigV4Verifier verifier, Logger log) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.log = log;
  }

  public void call(RoutingContext ctx, int status, Action action) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    var head = VertxRequestHeads.of(ctx.request());
    vertx.executeBlocking(() -> action.run(verifier.verifyWhole(head, body)), false)
        .onSuccess(result -> respond(ctx, status, result))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * Refuses a request that carries no signature at all before its body is read.
   *
   * @param message what the 403 {@code AccessDenied} says is needed
   */
  public Handler<RoutingContext> refusingUnsigned(String message) {
    return ctx -> {
      boolean signed = ctx.request().getHeader("authorization") != null || ctx.request().params().contains("X-Amz-Signature");
      if (signed) {
        ctx.next();
      } else {
        error(ctx, 403, "AccessDenied", message);
      }
    };
  }

  /** The one mapping of a failure to the JSON error; unexpected ones are logged, never sent back. */
  public void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiError e) {
      error(ctx, e.httpStatus(), e.code(), e.getMessage());
    } else if (failure instanceof AuthException auth) {
      error(ctx, 403, authCode(auth.kind()), auth.getMessage());
    } else if (failure instanceof IdentityException e) {
      error(ctx, e.reason().httpStatus, codeOf(e.reason()), e.getMessage());
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
      String contentType = result instanceof TextBody text ? text.contentType() : "application/json";
      Buffer body = result instanceof TextBody text ? Buffer.buffer(text.text()) : Buffer.buffer(json.writeValueAsBytes(result));
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", contentType)
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
    };
  }
}
