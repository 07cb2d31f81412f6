package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.QuorumUnreachableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response, on the event loop that received it: what every handler needs
 * to read the request, wait for the store and answer, including the one mapping of failures to
 * statuses.
 */
final class RiakExchange {

  private static final Logger LOG = LoggerFactory.getLogger(RiakExchange.class);
  static final String TEXT = "text/plain";

  final HttpServerRequest request;
  final HttpServerResponse response;
  final RiakRoute route;
  private final Context context;

  RiakExchange(HttpServerRequest request, RiakRoute route, Context context) {
    this.request = request;
    this.response = request.response();
    this.route = route;
    this.context = context;
  }

  String param(String name) {
    return request.getParam(name);
  }

  String header(String name) {
    return request.getHeader(name);
  }

  /** The store's future as a Vert.x future completing on this request's event loop. */
  <T> Future<T> await(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, context);
  }

  /** Runs {@code task} on this request's event loop (store callbacks arrive on other threads). */
  void onLoop(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /**
   * The whole body, refused with 413 beyond {@code bytesMax}: at once by its Content-Length, or
   * as soon as the bytes read pass it (the connection then closes, as what follows cannot be
   * parsed). A client that waits for 100-continue is told to send only once the length is fine.
   */
  Future<Buffer> body(long bytesMax) {
    String declared = header(HttpHeaders.CONTENT_LENGTH.toString());
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(RiakProblem.badRequest("Bad Content-Length header\n"));
      }
      if (length > bytesMax) {
        return Future.failedFuture(tooLarge(bytesMax));
      }
    }
    if ("100-continue".equalsIgnoreCase(header(HttpHeaders.EXPECT.toString()))) {
      response.writeContinue();
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > bytesMax) {
        promise.tryFail(tooLarge(bytesMax));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    request.resume();
    return promise.future();
  }

  private static RiakProblem tooLarge(long bytesMax) {
    return new RiakProblem(413, "Object too large: the limit is " + bytesMax + " bytes\n");
  }

  void text(int status, String body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(body);
  }

  void json(int status, String body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }

  void noContent() {
    response.setStatusCode(204).end();
  }

  /**
   * The one mapping of failures to answers: Riak's text for what the request got wrong (400,
   * 413...), 400 for what the store rejected, 503 when a quorum did not answer, and for anything
   * else a 500 that says nothing of the cause, which is logged here once.
   */
  void fail(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (response.ended() || response.headWritten()) {
      LOG.warn("{} {} failed after its answer began: {}", request.method(), request.path(), cause.toString());
      request.connection().close();
      return;
    }
    if (cause instanceof RiakProblem problem && problem.status == 413) {
      // The rest of the body is not read: the connection cannot carry another request.
      response.putHeader(HttpHeaders.CONNECTION, "close");
      response.endHandler(v -> request.connection().close());
      text(413, problem.getMessage());
      return;
    }
    if (cause instanceof RiakProblem problem) {
      text(problem.status, problem.getMessage());
    } else if (cause instanceof InvalidRequestException invalid) {
      text(400, lineOf(invalid.getMessage()));
    } else if (cause instanceof QuorumUnreachableException unreachable) {
      text(503, lineOf(unreachable.getMessage()));
    } else {
      LOG.error("{} {} failed", request.method(), request.path(), cause);
      text(500, "Internal Server Error\n");
    }
  }

  private static String lineOf(String message) {
    return message == null ? "\n" : message.endsWith("\n") ? message : message + "\n";
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
