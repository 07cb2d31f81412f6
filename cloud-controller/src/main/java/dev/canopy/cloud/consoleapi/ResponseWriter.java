package dev.canopy.cloud.consoleapi;

import dev.canopy.core.time.Futures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Writer} onto a chunked response, used from a worker thread: text goes out as UTF-8 in
 * chunks of {@value #CHUNK_CHARS} characters, and each chunk is awaited until the connection has
 * taken it, so a slow reader holds the writer back instead of letting the answer pile up in memory.
 * Closing ends the response; closing again does nothing (JSON and CSV writers close their target).
 */
final class ResponseWriter extends Writer {

  static final int CHUNK_CHARS = 64 * 1024;
  /** A reader that takes nothing for this long is given up on: the answer is cut short. */
  static final Duration CHUNK_WAIT_MAX = Duration.ofSeconds(60);

  private final HttpServerResponse response;
  private final StringBuilder pending = new StringBuilder();
  private boolean closed;

  ResponseWriter(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("the answer was already ended");
    }
    pending.append(chars, offset, length);
    if (pending.length() >= CHUNK_CHARS) {
      send();
    }
  }

  /** Chunks go when full: a flush of a few bytes would only make more, smaller chunks. */
  @Override
  public void flush() {}

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    send();
    await(response.end());
  }

  private void send() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    Buffer chunk = Buffer.buffer(pending.toString());
    pending.setLength(0);
    await(response.write(chunk));
  }

  private static void await(Future<Void> written) throws IOException {
    try {
      Futures.await(written.toCompletionStage(), CHUNK_WAIT_MAX, "the client to take the answer's next chunk");
    } catch (TimeoutException | RuntimeException e) {
      throw new IOException("the answer could not be sent on: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending the answer", e);
    }
  }
}
