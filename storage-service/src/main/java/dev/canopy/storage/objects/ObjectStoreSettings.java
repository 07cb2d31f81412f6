package dev.canopy.storage.objects;

import dev.canopy.storage.backend.MultipartRules;
import java.time.Duration;

/**
 * Every tunable of the object store on the replicated store, read once.
 *
 * @param chunkBytes bytes per stored chunk: the unit of writing, reading and memory per stream
 * @param inlineBytesMax an object up to this size lives inside its manifest (one KV write per PUT);
 *     0 puts every non-empty object in chunks
 * @param gcLeeway how long a replaced or deleted blob stays readable: a reader opened before the
 *     overwrite keeps reading it until then
 * @param abandonedWriteTimeout a blob still being written with no sign of life for this long is
 *     taken for the leftovers of a crashed upload and collected
 * @param uploadExpiry a multipart upload neither completed nor aborted after this long is aborted
 * @param callTimeout bounds one call to the store; shorter than an S3 client's own timeout so
 *     the client gets a 503 rather than a hang
 * @param partSizeMin the minimum size of every multipart part but the last (S3: 5 MiB)
 */
public record ObjectStoreSettings(
    int chunkBytes,
    int inlineBytesMax,
    Duration gcLeeway,
    Duration abandonedWriteTimeout,
    Duration uploadExpiry,
    Duration callTimeout,
    long partSizeMin) {

  public static final int CHUNK_BYTES_DEFAULT = 1024 * 1024;
  public static final int INLINE_BYTES_MAX_DEFAULT = 64 * 1024;

  public static final ObjectStoreSettings DEFAULTS = new ObjectStoreSettings(
      CHUNK_BYTES_DEFAULT, INLINE_BYTES_MAX_DEFAULT, Duration.ofHours(1), Duration.ofHours(24),
      Duration.ofDays(7), Duration.ofSeconds(8), MultipartRules.PART_SIZE_MIN);

  public ObjectStoreSettings {
    if (chunkBytes < 1) {
      throw new IllegalArgumentException("chunkBytes " + chunkBytes);
    }
    if (inlineBytesMax < 0 || inlineBytesMax > chunkBytes) {
      // An inline object is buffered whole by its writer: never more than one chunk.
      throw new IllegalArgumentException("inlineBytesMax " + inlineBytesMax + " must be 0.." + chunkBytes);
    }
    for (Duration d : new Duration[] {gcLeeway, abandonedWriteTimeout, uploadExpiry, callTimeout}) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration " + d);
      }
    }
  }

  public ObjectStoreSettings withChunkBytes(int chunk, int inlineMax) {
    return new ObjectStoreSettings(chunk, inlineMax, gcLeeway, abandonedWriteTimeout, uploadExpiry, callTimeout, partSizeMin);
  }

  /** The same settings with another upload expiry and GC leeway. */
  public ObjectStoreSettings withExpiry(Duration uploads, Duration leeway) {
    return new ObjectStoreSettings(chunkBytes, inlineBytesMax, leeway, abandonedWriteTimeout, uploads, callTimeout, partSizeMin);
  }

  public ObjectStoreSettings withPartSizeMin(long min) {
    return new ObjectStoreSettings(chunkBytes, inlineBytesMax, gcLeeway, abandonedWriteTimeout, uploadExpiry, callTimeout, min);
  }
}
