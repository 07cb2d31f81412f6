package dev.canopy.storage.backend;

import java.nio.ByteBuffer;

/**
 * Receives the bytes of one new object or part as they stream in. The bytes are written in
 * bounded chunks and stay invisible (and are swept after a crash) until the blob is committed
 * through {@link ObjectBackend#commitObject} or {@link ObjectBackend#commitPart}. Not thread
 * safe: one request feeds it, in order, from one thread at a time.
 */
public interface BlobWriter {

  /**
   * The blob's expected size, told before the first write when known (a PUT's declared length):
   * a writer may size its buffers once instead of growing them. A hint only: the bytes written
   * decide the size.
   */
  default void expect(long bytes) {}

  /** Appends every remaining byte of {@code data}. Blocking (may write a chunk). */
  void write(ByteBuffer data);

  /** Bytes written so far. */
  long size();

  /** Discards everything written; idempotent, and a no-op after a commit. */
  void abort();
}
