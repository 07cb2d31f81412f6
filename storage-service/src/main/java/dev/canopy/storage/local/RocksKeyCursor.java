package dev.canopy.storage.local;

import dev.canopy.storage.backend.KeyCursor;
import dev.canopy.storage.backend.ObjectSummary;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rocksdb.RocksIterator;

/** A {@link KeyCursor} over one bucket's manifests ({@code bucket \0 key} in the objects family). */
final class RocksKeyCursor implements KeyCursor<ObjectSummary>, AutoCloseable {

  private final RocksIterator iterator;
  private final byte[] bucketPrefix;

  RocksKeyCursor(LocalStore store, String bucket) {
    this.iterator = store.db().newIterator(store.objects());
    this.bucketPrefix = ObjectKeys.bucketPrefix(bucket);
  }

  @Override
  public boolean seek(String key) {
    iterator.seek(concat(bucketPrefix, key.getBytes(StandardCharsets.UTF_8)));
    return valid();
  }

  @Override
  public boolean seekPast(String prefix) {
    byte[] bound = concat(bucketPrefix, prefix.getBytes(StandardCharsets.UTF_8));
    // UTF-8 never contains 0xFF, so incrementing the last byte gives the first key after
    // every key that starts with the prefix.
    if (bound[bound.length - 1] == (byte) 0xFF) {
      throw new IllegalStateException("key prefix ends in 0xFF");
    }
    bound[bound.length - 1]++;
    iterator.seek(bound);
    return valid();
  }

  @Override
  public boolean next() {
    iterator.next();
    return valid();
  }

  @Override
  public String key() {
    byte[] k = iterator.key();
    return new String(k, bucketPrefix.length, k.length - bucketPrefix.length, StandardCharsets.UTF_8);
  }

  @Override
  public ObjectSummary value() {
    return Records.decode(iterator.value(), Manifest.class).summary();
  }

  private boolean valid() {
    if (!iterator.isValid()) {
      LocalStore.checkIterator(iterator);
      return false;
    }
    return LocalStore.startsWith(iterator.key(), bucketPrefix);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() {
    iterator.close();
  }
}
