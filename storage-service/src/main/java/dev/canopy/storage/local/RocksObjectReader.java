package dev.canopy.storage.local;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectReader;
import java.util.Arrays;
import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * Reads an object through a RocksDB snapshot, so an overwrite or delete committed while a GET
 * streams (which deletes the old chunks) does not cut the response short.
 */
final class RocksObjectReader implements ObjectReader {

  private final LocalStore store;
  private final Snapshot snapshot;
  private final ReadOptions options;
  private final Manifest manifest;
  private final long[] segmentStarts;
  private boolean closed;

  private RocksObjectReader(LocalStore store, Snapshot snapshot, ReadOptions options, Manifest manifest) {
    this.store = store;
    this.snapshot = snapshot;
    this.options = options;
    this.manifest = manifest;
    this.segmentStarts = new long[manifest.segments().size()];
    long start = 0;
    for (int i = 0; i < segmentStarts.length; i++) {
      segmentStarts[i] = start;
      start += manifest.segments().get(i).length();
    }
  }

  static RocksObjectReader open(LocalStore store, byte[] objectKey) {
    Snapshot snapshot = store.db().getSnapshot();
    ReadOptions options = new ReadOptions().setSnapshot(snapshot);
    byte[] bytes;
    try {
      bytes = store.get(store.objects(), options, objectKey);
    } catch (RuntimeException e) {
      release(store, snapshot, options);
      throw e;
    }
    if (bytes == null) {
      release(store, snapshot, options);
      throw S3Errors.noSuchKey();
    }
    return new RocksObjectReader(store, snapshot, options, Records.decode(bytes, Manifest.class));
  }

  @Override
  public ObjectInfo info() {
    return manifest.info();
  }

  Manifest manifest() {
    return manifest;
  }

  @Override
  public byte[] read(long offset, int maxBytes) {
    if (closed) {
      throw new IllegalStateException("read after close");
    }
    if (offset < 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("offset " + offset + ", maxBytes " + maxBytes);
    }
    if (offset >= manifest.size()) {
      return new byte[0];
    }
    int segment = Arrays.binarySearch(segmentStarts, offset);
    if (segment < 0) {
      segment = -segment - 2; // the segment that starts before offset
    }
    // Skip zero-length segments (an empty last part) that share a start with the next one.
    while (manifest.segments().get(segment).length() == 0) {
      segment++;
    }
    Manifest.Segment seg = manifest.segments().get(segment);
    long within = offset - segmentStarts[segment];
    int chunkSize = manifest.chunkSize();
    int chunkIndex = Math.toIntExact(within / chunkSize);
    int chunkOffset = (int) (within % chunkSize);
    byte[] chunk = store.get(store.chunks(), options, ChunkKeys.chunk(ChunkKeys.unhex(seg.blob()), chunkIndex));
    if (chunk == null) {
      // The manifest names a chunk the snapshot does not have: a bug or a damaged store.
      throw new StoreException("missing chunk " + chunkIndex + " of blob " + seg.blob(), null);
    }
    int n = (int) Math.min(Math.min(maxBytes, chunk.length - chunkOffset), seg.length() - within);
    return Arrays.copyOfRange(chunk, chunkOffset, chunkOffset + n);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      release(store, snapshot, options);
    }
  }

  private static void release(LocalStore store, Snapshot snapshot, ReadOptions options) {
    options.close();
    store.db().releaseSnapshot(snapshot);
  }
}
