package dev.canopy.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request body sent in two halves: the first as soon as the client reads, the second only after
 * {@link #release()}. {@link #awaitStarted()} returns once the client began sending.
 */
final class HeldBody {

  private final byte[] body;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  HeldBody(byte[] body) {
    this.body = body;
  }

  InputStream stream() {
    int half = body.length / 2;
    InputStream first = new ByteArrayInputStream(body, 0, half) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        started.countDown();
        return super.read(b, off, len);
      }
    };
    InputStream second = new InputStream() {
      private final InputStream rest = new ByteArrayInputStream(body, half, body.length - half);

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          if (!released.await(60, TimeUnit.SECONDS)) {
            throw new IOException("the test never released the body");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        return rest.read(b, off, len);
      }
    };
    return new SequenceInputStream(first, second);
  }

  void awaitStarted() throws InterruptedException {
    if (!started.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the client never started sending the body");
    }
  }

  void release() {
    released.countDown();
  }
}
