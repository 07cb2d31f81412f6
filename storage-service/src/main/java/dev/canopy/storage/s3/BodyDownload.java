package dev.canopy.storage.s3;

import dev.canopy.storage.backend.ObjectReader;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * Streams bytes {@code [first, last]} of an object to a response whose head is already set:
 * one chunk is read on a worker, written, and the next read waits until the connection's write
 * queue drains. The reader is closed exactly once, and never while a worker is reading from it
 * (it pins a storage snapshot whose memory a concurrent close would free).
 */
final class BodyDownload {

  /**
   * Bytes read per worker step: a quarter of a storage chunk (the reader keeps the chunk), so the
   * array each read returns stays under half a G1 region and is not a humongous object (see
   * {@link BodyUpload#FLUSH_BYTES}).
   */
  private static final int READ_BYTES = 256 * 1024;

  /** The bytes one step reads at {@code offset} of a range ending at {@code last}. */
  static int readBytes(long offset, long last) {
    return (int) Math.min(READ_BYTES, last - offset + 1);
  }

  private final S3Exchange exchange;
  private final HttpServerResponse response;
  private final ObjectReader reader;
  private final long last;
  private final Promise<Void> done = Promise.promise();
  private long offset;
  /** The range's first bytes, read by the step that opened the reader; null when not read yet. */
  private ByteBuffer prefetched;
  private boolean reading;
  private boolean closed;

  private BodyDownload(S3Exchange exchange, ObjectReader reader, long first, long last, ByteBuffer prefetched) {
    this.exchange = exchange;
    this.prefetched = prefetched;
    this.response = exchange.response;
    this.reader = reader;
    this.offset = first;
    this.last = last;
  }

  /** Streams and closes the reader; the future fails if the client goes away first. */
  static Future<Void> run(S3Exchange exchange, ObjectReader reader, long first, long last) {
    return run(exchange, reader, first, last, null);
  }

  /**
   * As {@link #run(S3Exchange, ObjectReader, long, long)}, starting with {@code prefetched}: what a
   * read of {@link #readBytes}{@code (first, last)} at {@code first} returned (null: nothing read).
   */
  static Future<Void> run(S3Exchange exchange, ObjectReader reader, long first, long last, ByteBuffer prefetched) {
    return new BodyDownload(exchange, reader, first, last, prefetched).start();
  }

  private Future<Void> start() {
    response.closeHandler(v -> {
      closed = true;
      exchange.clientGone();
      if (!reading) {
        finish(new ClientGoneException());
      }
    });
    next();
    return done.future();
  }

  private void next() {
    if (closed) {
      finish(new ClientGoneException());
      return;
    }
    if (offset > last) {
      response.end();
      finish(null);
      return;
    }
    if (prefetched != null) {
      ByteBuffer bytes = prefetched;
      prefetched = null;
      send(bytes);
      return;
    }
    int length = readBytes(offset, last);
    reading = true;
    exchange.blocking(() -> reader.readView(offset, length)).onComplete(result -> {
      reading = false;
      if (result.failed()) {
        finish(result.cause());
        return;
      }
      send(result.result());
    });
  }

  private void send(ByteBuffer bytes) {
    if (!bytes.hasRemaining()) {
      finish(new IllegalStateException("object shorter than its manifest at " + offset));
      return;
    }
    offset += bytes.remaining();
    if (closed) {
      finish(new ClientGoneException());
      return;
    }
    // Wrapped, not copied (Buffer.buffer(byte[]) copies): a view is never written again and
    // outlives the reader (ObjectReader.readView), so Netty may still be sending it after close.
    response.write(BufferInternal.buffer(Unpooled.wrappedBuffer(bytes)));
    if (response.writeQueueFull()) {
      response.drainHandler(v -> {
        response.drainHandler(null); // one drain per full queue: never two reads at once
        next();
      });
    } else {
      next();
    }
  }

  private void finish(Throwable failure) {
    reader.close();
    if (failure == null) {
      done.tryComplete();
    } else {
      done.tryFail(failure);
    }
  }
}
