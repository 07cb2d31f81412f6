package dev.canopy.storage.backend;

import java.nio.ByteBuffer;

/**
 * A consistent view of one committed object, opened before streaming it: an overwrite or delete
 * that commits meanwhile does not change what this reader returns. Must be closed (it pins
 * storage). Not thread safe; blocking.
 */
public interface ObjectReader extends AutoCloseable {

  ObjectInfo info();

  /**
   * Reads up to {@code maxBytes} from {@code offset}; returns fewer near chunk boundaries and an
   * empty array at or past the end.
   */
  byte[] read(long offset, int maxBytes);

  /**
   * {@link #read} without a copy where the reader can: a read-only view of heap memory that is
   * never written again, so it stays valid after the reader is closed (a response may still be
   * sending it then).
   */
  default ByteBuffer readView(long offset, int maxBytes) {
    return ByteBuffer.wrap(read(offset, maxBytes)).asReadOnlyBuffer();
  }

  @Override
  void close();
}
