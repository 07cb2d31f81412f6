package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ByteRange;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.PartInfo;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * UploadPartCopy: part {@code partNumber} of an upload made from a range of an existing object
 * the requester may read (as GetObject of it: {@link AccessControl#checkCopySource}). The bytes stream from a consistent reader of the source into a new blob, a
 * bounded read at a time, so a 5 GiB part never sits in memory.
 */
final class PartCopyHandler {

  /** Bytes asked of the reader per step; it may return fewer (chunk boundaries). */
  private static final int READ_BYTES_MAX = 1024 * 1024;

  private final ObjectBackend backend;
  private final BucketRegistry registry;
  private final AccessControl access;

  PartCopyHandler(ObjectBackend backend, BucketRegistry registry, AccessControl access) {
    this.backend = backend;
    this.registry = registry;
    this.access = access;
  }

  Future<Void> uploadPartCopy(S3Exchange ex) {
    int partNumber = MultipartHandlers.partNumber(ex.query.getOrEmpty("partNumber"));
    String uploadId = ex.query.getOrEmpty("uploadId");
    ObjectHandlers.CopySource source = ObjectHandlers.CopySource.parse(ex.header("x-amz-copy-source"));
    String rangeHeader = ex.header("x-amz-copy-source-range");
    String ifMatch = ex.header("x-amz-copy-source-if-match");
    String ifNoneMatch = ex.header("x-amz-copy-source-if-none-match");
    String ifModifiedSince = ex.header("x-amz-copy-source-if-modified-since");
    String ifUnmodifiedSince = ex.header("x-amz-copy-source-if-unmodified-since");
    String bucketId = ex.bucket().id();
    String key = ex.target.key();
    return ex.blocking(() -> {
      BucketRecord from = registry.find(source.bucket()).orElseThrow(S3Errors::noSuchBucket);
      access.checkCopySource(ex, from, source.key(), source.versionId() != null);
      // NoSuchUpload before any byte is copied, not after a 5 GiB copy.
      backend.listParts(bucketId, key, uploadId, 0, 1);
      try (ObjectReader reader = source.open(backend, from.id())) {
        Preconditions.checkCopySource(ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, reader.info());
        ByteRange range = CopySourceRange.resolve(rangeHeader, reader.info().size());
        return copy(reader, range, bucketId, key, uploadId, partNumber);
      }
    }).map(part -> {
      ex.sendXml(200, S3Xml.copyPart(part));
      return null;
    });
  }

  private PartInfo copy(ObjectReader reader, ByteRange range, String bucketId, String key, String uploadId, int partNumber) {
    BlobWriter blob = backend.newBlob();
    try {
      MessageDigest md5 = MultipartRules.md5();
      long offset = range == null ? 0 : range.first();
      long end = range == null ? 0 : range.last() + 1;
      // Bounded: each read returns at least one byte before the end, so at most range.length() steps.
      while (offset < end) {
        byte[] bytes = reader.read(offset, (int) Math.min(READ_BYTES_MAX, end - offset));
        if (bytes.length == 0) {
          throw new IllegalStateException("short read copying a part from " + reader.info().key());
        }
        md5.update(bytes);
        blob.write(ByteBuffer.wrap(bytes));
        offset += bytes.length;
      }
      return backend.commitPart(bucketId, key, uploadId, partNumber, blob, md5.digest());
    } catch (RuntimeException e) {
      blob.abort();
      throw e;
    }
  }
}
