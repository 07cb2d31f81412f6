package dev.canopy.cloud.lease.net;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The lease port's framing: a 4-byte big-endian length, then that many bytes of JSON. A frame of
 * length zero is a keepalive: it carries nothing and exists only so that an idle connection to a
 * dead peer is noticed by the read-idle timeout.
 */
final class Frames {

  /** A lease message is a few hundred bytes; anything near this is garbage or an attack. */
  static final int FRAME_BYTES_MAX = 64 * 1024;
  static final int HEADER_BYTES = 4;

  private static final Buffer KEEPALIVE = Buffer.buffer(new byte[HEADER_BYTES]);

  private Frames() {}

  static Buffer encode(byte[] payload) {
    if (payload.length == 0 || payload.length > FRAME_BYTES_MAX) {
      // The codec writes small JSON objects only: reaching this is a bug in this package.
      throw new IllegalStateException("a lease frame must hold 1.." + FRAME_BYTES_MAX + " bytes, not " + payload.length);
    }
    return Buffer.buffer(HEADER_BYTES + payload.length).appendInt(payload.length).appendBytes(payload);
  }

  static Buffer keepalive() {
    return KEEPALIVE.copy();
  }

  /**
   * A socket data handler that cuts the stream into frames. Keepalives are swallowed; a length
   * above {@link #FRAME_BYTES_MAX} (or negative) calls {@code onBadLength} once and every later
   * byte is ignored, since the stream can no longer be resynchronised: the caller closes it.
   */
  static Handler<Buffer> reader(Consumer<Buffer> onFrame, IntConsumer onBadLength) {
    return new Reader(onFrame, onBadLength).parser;
  }

  private static final class Reader {
    final RecordParser parser = RecordParser.newFixed(HEADER_BYTES);
    private final Consumer<Buffer> onFrame;
    private final IntConsumer onBadLength;
    private boolean readingHeader = true;
    private boolean broken;

    Reader(Consumer<Buffer> onFrame, IntConsumer onBadLength) {
      this.onFrame = onFrame;
      this.onBadLength = onBadLength;
      parser.handler(this::onRecord);
    }

    private void onRecord(Buffer record) {
      if (broken) {
        return;
      }
      if (!readingHeader) {
        readingHeader = true;
        parser.fixedSizeMode(HEADER_BYTES);
        onFrame.accept(record);
        return;
      }
      int length = record.getInt(0);
      if (length == 0) {
        return; // keepalive
      }
      if (length < 0 || length > FRAME_BYTES_MAX) {
        broken = true;
        onBadLength.accept(length);
        return;
      }
      readingHeader = false;
      parser.fixedSizeMode(length);
    }
  }
}
