package dev.canopy.storage.s3;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.PayloadDigests;
import dev.canopy.api.auth.PayloadVerifier;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.VerifiedRequest;
import dev.canopy.api.log.LogText;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.error.ServerFailures;
import dev.canopy.api.http.RequestHead;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One S3 request in flight: what was parsed from it, who signed it, and the ways to answer it.
 * Lives on the request's event loop; {@link #blocking} runs storage and registry calls on the
 * worker pool and brings the result back to the event loop.
 */
final class S3Exchange {

  private static final Logger LOG = LoggerFactory.getLogger(S3Exchange.class);
  /** Bytes of an unwanted body read and discarded after an error answer; beyond this, close. */
  private static final long DISCARD_BYTES_MAX = 64L * 1024 * 1024;

  final HttpServerRequest request;
  final HttpServerResponse response;
  private Runnable clientGone = () -> {};
  final String requestId;
  final RequestTarget target;
  final QueryParams query;
  final RequestHead head;
  final Operation operation;
  private final WorkerExecutor workers;
  private final S3AccountGate gate;
  private VerifiedRequest verified;
  /** Set on a worker, read by the response's end handler on the event loop. */
  private volatile BucketRecord bucket;
  private boolean continueSent;
  private boolean closeAfterResponse;

  S3Exchange(
      HttpServerRequest request, String requestId, RequestTarget target, QueryParams query,
      RequestHead head, Operation operation, WorkerExecutor workers, S3AccountGate gate) {
    this.request = request;
    this.response = request.response();
    this.requestId = requestId;
    this.target = target;
    this.query = query;
    this.head = head;
    this.operation = operation;
    this.workers = workers;
    this.gate = gate;
  }

  /** The account limits this request is counted against. */
  S3AccountGate gate() {
    return gate;
  }

  /**
   * Counts this request's body upload against its account's uploads in flight (SlowDown when
   * full), until the returned future completes either way; call before any byte is stored.
   */
  <T> Future<T> asUpload(java.util.function.Supplier<Future<T>> upload) {
    // An anonymous upload counts against the owner of the bucket that allowed it.
    Runnable release = gate.admitUpload(principal().isAnonymous() ? bucket().ownerAccountId() : principal().accountId());
    try {
      return upload.get().onComplete(done -> release.run());
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }

  void authenticated(VerifiedRequest verified) {
    this.verified = verified;
  }

  Principal principal() {
    return verified.principal();
  }

  java.util.List<String> signedHeaders() {
    return verified.signedHeaders();
  }

  PayloadVerifier newPayloadVerifier() {
    return verified.newPayloadVerifier();
  }

  void bucket(BucketRecord bucket) {
    this.bucket = bucket;
  }

  /** The addressed bucket, after the ownership check passed. */
  BucketRecord bucket() {
    if (bucket == null) {
      throw new IllegalStateException(operation + " used a bucket it did not check");
    }
    return bucket;
  }

  /** The addressed bucket once its access check passed; null before, or when the request names none. */
  BucketRecord meteredBucket() {
    return bucket;
  }

  /** What to run if the client goes away in the middle of the answer's body (an abandoned download). */
  void onClientGone(Runnable action) {
    this.clientGone = action;
  }

  /** The client went away before the answer's body ended. */
  void clientGone() {
    clientGone.run();
  }

  String header(String name) {
    return request.getHeader(name);
  }

  boolean isHead() {
    return request.method() == HttpMethod.HEAD;
  }

  /** Runs blocking work off the event loop; unordered, since each request waits for its own. */
  <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }

  /** Tells a client waiting on "Expect: 100-continue" to send the body (auth has passed). */
  void sendContinue() {
    if (!continueSent && "100-continue".equalsIgnoreCase(header("Expect"))) {
      continueSent = true;
      response.writeContinue();
    }
  }

  /**
   * Reads a small body (XML of CreateBucket, DeleteObjects, CompleteMultipartUpload) through the
   * payload verifier; larger than {@code limitBytes} fails as MalformedXML-sized abuse.
   */
  Future<byte[]> readSmallBody(int limitBytes) {
    Promise<byte[]> promise = Promise.promise();
    PayloadVerifier payload = newPayloadVerifier();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      try {
        ByteBuffer decoded = payload.update(ByteBuffer.wrap(chunk.getBytes()));
        if (body.size() + decoded.remaining() > limitBytes) {
          promise.tryFail(new AwsException(400, "MaxMessageLengthExceeded", "Your request was too big."));
          return;
        }
        byte[] bytes = new byte[decoded.remaining()];
        decoded.get(bytes);
        body.write(bytes, 0, bytes.length);
      } catch (AuthException e) {
        promise.tryFail(e);
      }
    });
    request.endHandler(v -> {
      try {
        PayloadDigests digests = payload.finish();
        if (digests.length() != body.size()) {
          throw new IllegalStateException("verifier length " + digests.length() + " != " + body.size());
        }
        promise.tryComplete(body.toByteArray());
      } catch (AuthException e) {
        promise.tryFail(e);
      }
    });
    request.exceptionHandler(promise::tryFail);
    sendContinue();
    request.resume();
    return promise.future();
  }

  void sendXml(int status, String xml) {
    response.putHeader("Content-Type", "application/xml");
    send(status, Buffer.buffer(xml));
  }

  void sendJson(int status, String json) {
    response.putHeader("Content-Type", "application/json");
    send(status, Buffer.buffer(json));
  }

  /** Ends the response with no body (also used for HEAD, whose headers describe the object). */
  void sendEmpty(int status) {
    send(status, null);
  }

  /** Common headers and the end of any answer that is not streamed. */
  private void send(int status, Buffer body) {
    writeHead(status);
    Future<Void> ended = body == null || isHead() ? response.end() : response.end(body);
    if (closeAfterResponse) {
      ended.onComplete(v -> request.connection().close());
    }
  }

  /** Status and the headers every S3 answer carries; settles an unread request body. */
  void writeHead(int status) {
    response.setStatusCode(status);
    response.putHeader("x-amz-request-id", requestId);
    response.putHeader("x-amz-id-2", requestId);
    response.putHeader("Server", "Canopy");
    settleUnreadBody();
  }

  /**
   * A request body we answer without reading must not be mistaken for the next request on the
   * connection. A client still waiting for 100-continue will not send it: close after the
   * answer. Otherwise read and discard a bounded amount so the answer reaches the client (closing
   * on unread data would reset the connection and lose it).
   */
  private void settleUnreadBody() {
    if (request.isEnded()) {
      return;
    }
    if ("100-continue".equalsIgnoreCase(header("Expect")) && !continueSent) {
      response.putHeader("Connection", "close");
      closeAfterResponse = true;
      return;
    }
    long[] discarded = {0};
    request.handler(chunk -> {
      discarded[0] += chunk.length();
      if (discarded[0] > DISCARD_BYTES_MAX) {
        request.connection().close();
      }
    });
    request.endHandler(v -> {});
    request.exceptionHandler(e -> {});
    request.resume();
  }

  /**
   * Answers with the S3 error a failure maps to; an unavailable store or grid becomes ServiceUnavailable,
   * bugs InternalError, logged once.
   */
  void fail(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ClientGoneException) {
      LOG.debug("request {} ({}): the client went away", requestId, operation.awsName());
      return;
    }
    AwsException error = toAwsException(failure);
    if (S3Error.SLOW_DOWN.code().equals(error.code()) && !response.headWritten()) {
      response.putHeader("Retry-After", S3AccountGate.RETRY_AFTER_SECONDS);
    }
    if (response.ended() || response.closed()) {
      LOG.debug("request {} failed after its response ended: {}", requestId, error.code());
      return;
    }
    if (response.headWritten()) {
      // Mid-stream: the status is already sent, so the only honest signal is a cut connection.
      LOG.warn("request {} ({}) failed while streaming; closing the connection", requestId, operation.awsName(), failure);
      request.connection().close();
      return;
    }
    sendXml(error.httpStatus(), S3Errors.toXml(error, target.resource(), requestId));
  }

  private AwsException toAwsException(Throwable failure) {
    Throwable cause = failure;
    if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof AwsException aws) {
      return aws;
    }
    if (cause instanceof AuthException auth) {
      return S3Errors.fromAuth(auth);
    }
    // The one mapping every API shares: an unavailable store or grid is 503 ServiceUnavailable.
    ServerFailures.log(LOG, "request " + requestId + " (" + head.method() + " " + LogText.escape(target.resource()) + ")", cause);
    return S3Errors.fromFailure(cause);
  }
}
