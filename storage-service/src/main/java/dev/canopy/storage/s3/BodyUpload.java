package dev.canopy.storage.s3;

import dev.canopy.api.auth.PayloadDigests;
import dev.canopy.api.auth.PayloadVerifier;
import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a PutObject or UploadPart body into a blob with real backpressure: wire pieces gather on
 * the event loop up to {@link #FLUSH_BYTES}; then the request is paused while a worker checks
 * them (payload verifier: aws-chunked decoding, signatures, hashes) and writes the decoded bytes;
 * the request resumes when the write is done. Memory per upload is about two flush buffers and
 * the blob's chunk, whatever the object size. The digests are returned only after the
 * verifier's {@code finish} succeeds; the caller commits then, or aborts the blob on failure.
 *
 * <p>The pieces are handed to the worker as Vert.x delivered them (each is already the request's
 * own copy of the connection's bytes), never gathered into one array: every copy of a body is
 * a pass over memory that a PUT pays per byte.
 */
final class BodyUpload<T> {

  /** What runs on the worker right after the body was verified: the commit, in the same step. */
  @FunctionalInterface
  interface Then<T> {
    T apply(PayloadDigests digests) throws Exception;
  }

  /**
   * Wire bytes gathered before a worker write. A quarter of a storage chunk: every array this
   * class allocates must stay under half a G1 region (512 KiB with the 1 MiB regions of a heap
   * under 2 GiB), or each is a humongous object that G1 places outside the young generation and
   * that starts a collection of its own: a 5 GiB PUT with 1 MiB flushes caused thousands.
   */
  static final int FLUSH_BYTES = 256 * 1024;
  /** The largest object a single PUT may create (S3: 5 GiB). */
  static final long SINGLE_PUT_BYTES_MAX = 5L * 1024 * 1024 * 1024;

  private final S3Exchange exchange;
  private final HttpServerRequest request;
  private final BlobWriter blob;
  private final PayloadVerifier verifier;
  private final long declaredLength;
  private final Then<T> then;
  private final Promise<T> done = Promise.promise();
  private List<Buffer> pending = new ArrayList<>();
  private int pendingBytes;
  private boolean flushing;
  private boolean ended;
  // A connection failure while a worker writes is held until that write returns: failing at
  // once would let the caller abort the blob while the worker still writes into it.
  private Throwable connectionFailure;
  private long decodedBytes; // touched only by the (one at a time) worker step

  private BodyUpload(S3Exchange exchange, BlobWriter blob, long declaredLength, Then<T> then) {
    this.exchange = exchange;
    this.then = then;
    this.request = exchange.request;
    this.blob = blob;
    this.verifier = exchange.newPayloadVerifier();
    this.declaredLength = declaredLength;
    blob.expect(declaredLength);
  }

  /**
   * The decoded body length the client declared: {@code x-amz-decoded-content-length} for
   * aws-chunked bodies, else Content-Length. Missing both is MissingContentLength (411).
   */
  static long declaredLength(S3Exchange exchange) {
    String decoded = exchange.header("x-amz-decoded-content-length");
    String value = decoded != null ? decoded : exchange.header("Content-Length");
    if (value == null) {
      throw S3Errors.missingContentLength();
    }
    long length;
    try {
      length = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument("Invalid content length: " + value);
    }
    if (length < 0) {
      throw S3Errors.invalidArgument("Invalid content length: " + value);
    }
    if (length > SINGLE_PUT_BYTES_MAX) {
      throw S3Errors.entityTooLarge();
    }
    return length;
  }

  /** Reads the whole body into {@code blob}; the request must be paused and unread. */
  static Future<PayloadDigests> run(S3Exchange exchange, BlobWriter blob, long declaredLength) {
    return run(exchange, blob, declaredLength, digests -> digests);
  }

  /**
   * Reads the whole body into {@code blob}, then runs {@code then} with its verified digests in
   * the same worker step as the last write: a step on the worker pool costs two thread
   * hand-offs, which for a small object is more than writing it. If the connection fails while
   * that step runs, a {@code then} that succeeded still completes the upload (what it committed
   * stays committed; only the answer is lost).
   */
  static <T> Future<T> run(S3Exchange exchange, BlobWriter blob, long declaredLength, Then<T> then) {
    return new BodyUpload<>(exchange, blob, declaredLength, then).start();
  }

  private Future<T> start() {
    request.handler(this::onData);
    request.endHandler(v -> {
      ended = true;
      if (!flushing) {
        flush();
      }
    });
    request.exceptionHandler(failure -> {
      if (flushing) {
        connectionFailure = failure;
      } else {
        done.tryFail(failure);
      }
    });
    exchange.sendContinue();
    request.resume();
    return done.future();
  }

  private void onData(Buffer data) {
    pending.add(data);
    pendingBytes += data.length();
    if (!flushing && pendingBytes >= FLUSH_BYTES) {
      flush();
    }
  }

  private void flush() {
    flushing = true;
    if (!ended) {
      request.pause(); // an ended request has nothing left to hold back (and refuses pause)
    }
    List<Buffer> wire = pending;
    pending = new ArrayList<>();
    pendingBytes = 0;
    boolean last = ended;
    exchange.blocking(() -> writeStep(wire, last)).onComplete(result -> {
      flushing = false;
      if (last && result.succeeded()) {
        done.tryComplete(result.result());
      } else if (connectionFailure != null) {
        done.tryFail(connectionFailure);
      } else if (result.failed()) {
        done.tryFail(result.cause());
      } else if (ended || pendingBytes >= FLUSH_BYTES) {
        flush();
      } else if (!ended) {
        request.resume();
      }
    });
  }

  /** On a worker: verify and decode, write, and at the end check the whole body. */
  private T writeStep(List<Buffer> wire, boolean last) throws Exception {
    for (Buffer piece : wire) {
      ByteBuffer decoded = verifier.update(((BufferInternal) piece).getByteBuf().nioBuffer());
      decodedBytes += decoded.remaining();
      if (decodedBytes > declaredLength) {
        // More than announced: refuse before writing it rather than after the verifier's finish.
        throw S3Error.INCOMPLETE_BODY.exception("The request body is longer than its declared length.");
      }
      blob.write(decoded);
    }
    if (!last) {
      return null;
    }
    PayloadDigests digests = verifier.finish();
    if (digests.length() != declaredLength || decodedBytes != declaredLength) {
      throw S3Error.INCOMPLETE_BODY.exception();
    }
    return then.apply(digests);
  }
}
