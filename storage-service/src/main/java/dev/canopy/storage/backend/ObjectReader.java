package dev.canopy.storage.backend;

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

  @Override
  void close();
}
