package dev.canopy.storage.backend;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * CopyObject in terms of the other backend calls: read the source through one reader (so the copy
 * is of the version {@code sourceCheck} accepted), stream it into a new blob, commit that blob
 * under the destination's condition. Data is copied: a blob has one owner.
 */
public final class ObjectCopies {

  private ObjectCopies() {}

  /** @param pieceBytes how much to read at a time: the backend's chunk, to hold one in memory */
  public static ObjectInfo copy(
      ObjectBackend backend, int pieceBytes, String sourceBucket, String sourceKey, String bucket, String key,
      UnaryOperator<ObjectMetadata> metadataOf, Consumer<ObjectInfo> sourceCheck, WriteCondition condition) {
    return copy(backend, pieceBytes, sourceBucket, sourceKey, null, bucket, key, metadataOf, sourceCheck, condition);
  }

  /** @param sourceVersionId the source's version to copy; null for its current version */
  public static ObjectInfo copy(
      ObjectBackend backend, int pieceBytes, String sourceBucket, String sourceKey, String sourceVersionId,
      String bucket, String key, UnaryOperator<ObjectMetadata> metadataOf, Consumer<ObjectInfo> sourceCheck,
      WriteCondition condition) {
    BlobWriter blob = backend.newBlob();
    try (ObjectReader reader = sourceVersionId == null ? backend.open(sourceBucket, sourceKey)
        : backend.open(sourceBucket, sourceKey, sourceVersionId)) {
      MessageDigest md5 = MultipartRules.md5();
      ObjectInfo source = reader.info();
      // Checked on the version being copied, so the copy is of the version the condition saw.
      sourceCheck.accept(source);
      long offset = 0;
      // Bounded: each read returns at least one byte until the end (size / 1 iterations max).
      while (offset < source.size()) {
        byte[] bytes = reader.read(offset, pieceBytes);
        if (bytes.length == 0) {
          throw new IllegalStateException("short read copying " + sourceKey);
        }
        md5.update(bytes);
        blob.write(ByteBuffer.wrap(bytes));
        offset += bytes.length;
      }
      ObjectMetadata metadata = metadataOf.apply(source.metadata());
      // A copy of a single-part object keeps its whole-object checksums: the bytes are equal.
      Map<String, String> checksums = source.partCount() == 0 ? source.checksums() : Map.of();
      return backend.commitObject(bucket, key, blob, md5.digest(), metadata, checksums, condition);
    } catch (RuntimeException e) {
      blob.abort();
      throw e;
    }
  }
}
