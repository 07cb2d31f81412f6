package dev.canopy.storage.s3;

import dev.canopy.api.auth.PayloadDigests;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ByteRange;
import dev.canopy.storage.backend.DeleteMarkerException;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.WriteCondition;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/** Single-object operations: put, get, head, delete, copy. Multi-delete is in {@link DeleteObjectsHandler}, ACLs in {@link AclHandlers}. */
final class ObjectHandlers {

  private final ObjectBackend backend;
  private final BucketRegistry registry;
  private final AccessControl access;
  private final VersionedObjects versions;

  ObjectHandlers(ObjectBackend backend, BucketRegistry registry, AccessControl access, BucketConfigs configs) {
    this.backend = backend;
    this.registry = registry;
    this.access = access;
    this.versions = new VersionedObjects(backend, configs);
  }

  Future<Void> putObject(S3Exchange ex) {
    return ex.blocking(this::newBlob).compose(blob -> putObject(ex, blob));
  }

  /** A new blob for a PutObject's body; blocking. */
  BlobWriter newBlob() {
    return backend.newBlob();
  }

  /**
   * PutObject into {@code blob}, a new blob that {@link S3Server} made in the worker step that
   * checked the request (one trip to the worker pool fewer); aborted if the request is refused.
   */
  Future<Void> putObject(S3Exchange ex, BlobWriter blob) {
    long declared;
    ObjectMetadata metadata;
    WriteCondition condition;
    try {
      declared = BodyUpload.declaredLength(ex);
      metadata = ObjectHeaders.fromRequest(ex.request.headers()).withAcl(AclHeaders.forNewObject(ex))
          .withTags(TagSets.fromHeader(ex.header("x-amz-tagging"), TagSets.OBJECT_TAGS_MAX));
      condition = Preconditions.forWrite(ex.header("If-Match"), ex.header("If-None-Match"));
    } catch (RuntimeException e) {
      return abortThenFail(ex, blob, e);
    }
    BucketRecord bucket = ex.bucket();
    String key = ex.target.key();
    try {
      return upload(ex, blob, declared, bucket, key, metadata, condition);
    } catch (RuntimeException e) {
      return abortThenFail(ex, blob, e); // refused before the body was read (uploads in flight)
    }
  }

  private Future<Void> upload(S3Exchange ex, BlobWriter blob, long declared, BucketRecord bucket, String key,
      ObjectMetadata metadata, WriteCondition condition) {
    return ex.asUpload(() -> BodyUpload.run(ex, blob, declared,
            digests -> new Committed(digests, commit(bucket, key, blob, digests, metadata, condition)))
        .map(committed -> {
          ex.response.putHeader("ETag", S3Xml.quote(committed.info().etag()));
          VersionedObjects.writeVersion(ex.response, committed.info().versionId());
          ObjectHeaders.writeChecksums(ex.response, committed.digests().checksums());
          ex.sendEmpty(200);
          return (Void) null;
        })
        .recover(failure -> abortThenFail(ex, blob, failure)));
  }

  /** A PutObject's body as verified and the version it became. */
  private record Committed(PayloadDigests digests, ObjectInfo info) {}

  /** On a worker, in the step that wrote the body's last bytes: makes the blob the object's version. */
  private ObjectInfo commit(BucketRecord bucket, String key, BlobWriter blob, PayloadDigests digests,
      ObjectMetadata metadata, WriteCondition condition) {
    ObjectInfo committed = versions.writes(bucket).commitObject(
        bucket.id(), key, blob, digests.md5(), metadata, digests.checksums(), condition);
    BucketLifecycle.confirmCommit(registry, backend, bucket, key);
    return committed;
  }

  static Future<Void> abortThenFail(S3Exchange ex, dev.canopy.storage.backend.BlobWriter blob, Throwable failure) {
    return ex.blocking(() -> {
      blob.abort();
      return null;
    }).transform(ignored -> Future.failedFuture(failure));
  }

  /**
   * What a GetObject's worker step found: the reader of the version asked for and, when the whole
   * object will be sent, its first bytes; or why it could not be opened ({@code miss}).
   */
  record Opened(OptionalInt part, ObjectReader reader, ByteBuffer first, Throwable miss) {}

  Future<Void> getObject(S3Exchange ex) {
    return ex.blocking(() -> openForGet(ex)).compose(opened -> getObject(ex, opened));
  }

  /**
   * GetObject's blocking step, on a worker: opens the version asked for and, when the answer will
   * be the whole object (no Range, no part number, no condition that could make it a 304), reads
   * its first bytes too. {@link S3Server} runs it in the same worker step as the signature check,
   * so a small object is answered after one trip to the worker pool instead of three: each trip
   * is two thread hand-offs, the largest part of a small GET's cost.
   */
  Opened openForGet(S3Exchange ex) {
    OptionalInt part = PartNumberRead.parse(ex.query, ex.header("Range"));
    String versionId = VersionedObjects.requested(ex);
    ObjectReader reader;
    try {
      reader = versionId == null ? backend.open(ex.bucket().id(), ex.target.key())
          : backend.open(ex.bucket().id(), ex.target.key(), versionId);
    } catch (RuntimeException e) {
      return new Opened(part, null, null, e);
    }
    try {
      long size = reader.info().size();
      boolean whole = part.isEmpty() && ex.header("Range") == null && ex.header("If-Match") == null
          && ex.header("If-None-Match") == null && ex.header("If-Modified-Since") == null
          && ex.header("If-Unmodified-Since") == null;
      ByteBuffer first = whole && size > 0 ? reader.readView(0, BodyDownload.readBytes(0, size - 1)) : null;
      return new Opened(part, reader, first, null);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** GetObject's answer, on the event loop, from what {@link #openForGet} found. */
  Future<Void> getObject(S3Exchange ex, Opened opened) {
    if (opened.miss() != null) {
      return versions.explainMiss(ex, opened.miss());
    }
    ObjectReader reader = opened.reader();
    try {
      Optional<ByteRange> range = answerHead(ex, reader.info(), opened.part());
      if (range.isEmpty()) {
        reader.close(); // 304, or a HEAD-like answer without body
        return Future.succeededFuture();
      }
      // The first bytes were read only for a whole-object answer: a range starting at 0.
      ByteBuffer first = range.get().first() == 0 ? opened.first() : null;
      return BodyDownload.run(ex, reader, range.get().first(), range.get().last(), first);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  Future<Void> headObject(S3Exchange ex) {
    String bucketId = ex.bucket().id();
    OptionalInt part = PartNumberRead.parse(ex.query, ex.header("Range"));
    String versionId = VersionedObjects.requested(ex);
    return ex.blocking(() -> versionId == null
        ? backend.head(bucketId, ex.target.key()).orElseThrow(S3Errors::noSuchKey)
        : backend.head(bucketId, ex.target.key(), versionId).orElseThrow(StorageErrors::noSuchVersion))
        .recover(failure -> versions.explainMiss(ex, failure))
        .map(info -> {
          answerHead(ex, info, part);
          return null;
        });
  }

  /**
   * Applies conditions and Range (or the part number), writes status and headers. Returns the
   * byte range still to send, or empty when the answer is complete (304, HEAD, empty object).
   */
  private Optional<ByteRange> answerHead(S3Exchange ex, ObjectInfo info, OptionalInt part) {
    ObjectHeaders.checkOverrides(ex.query);
    Preconditions.Outcome outcome = Preconditions.evaluate(
        ex.header("If-Match"), ex.header("If-None-Match"), ex.header("If-Modified-Since"),
        ex.header("If-Unmodified-Since"), info.etag(), info.lastModified());
    if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
      throw S3Errors.preconditionFailed();
    }
    if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
      ex.response.putHeader("ETag", S3Xml.quote(info.etag()));
      ex.response.putHeader("Last-Modified", HttpDates.http(info.lastModified()));
      ex.sendEmpty(304);
      return Optional.empty();
    }
    ByteRange.Resolution resolution = part.isPresent()
        ? PartNumberRead.bytes(info, part.getAsInt()).<ByteRange.Resolution>map(ByteRange.Partial::new)
            .orElse(new ByteRange.Whole())
        : ByteRange.resolve(ex.header("Range"), info.size());
    if (resolution instanceof ByteRange.Unsatisfiable) {
      ex.response.putHeader("Content-Range", "bytes */" + info.size());
      throw S3Errors.invalidRange();
    }
    boolean checksums = "ENABLED".equalsIgnoreCase(ex.header("x-amz-checksum-mode"));
    int status;
    ByteRange range;
    if (resolution instanceof ByteRange.Partial partial) {
      range = partial.range();
      status = 206;
      ex.response.putHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + info.size());
      checksums = false; // whole-object checksums do not describe a part of it
    } else {
      // A part without bytes (an empty object's part 1, an empty last part) sends nothing.
      range = info.size() == 0 || part.isPresent() ? null : new ByteRange(0, info.size() - 1);
      status = 200;
    }
    ObjectHeaders.write(ex.response, info, ex.query, checksums);
    if (part.isPresent() && info.partCount() > 0) {
      ex.response.putHeader(PartNumberRead.PARTS_COUNT_HEADER, Integer.toString(info.partCount()));
    }
    ex.response.putHeader("Content-Length", Long.toString(range == null ? 0 : range.length()));
    if (ex.isHead() || range == null) {
      ex.sendEmpty(status);
      return Optional.empty();
    }
    ex.writeHead(status);
    return Optional.of(range);
  }

  Future<Void> deleteObject(S3Exchange ex) {
    return versions.delete(ex);
  }

  Future<Void> copyObject(S3Exchange ex) {
    CopySource source = CopySource.parse(ex.header("x-amz-copy-source"));
    String directive = Optional.ofNullable(ex.header("x-amz-metadata-directive")).orElse("COPY");
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw S3Errors.invalidArgument("Unknown metadata directive.");
    }
    BucketRecord bucket = ex.bucket();
    String key = ex.target.key();
    // Copying an older version onto its own key is how S3 restores it, so only the current may not.
    if (directive.equals("COPY") && source.versionId() == null && source.bucket().equals(bucket.name())
        && source.key().equals(key)) {
      throw S3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to itself"
          + " without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    // The copy's ACL is the one this request asks for (private by default), never the source's.
    String acl = AclHeaders.forNewObject(ex);
    Optional<ObjectMetadata> replacement = directive.equals("REPLACE")
        ? Optional.of(ObjectHeaders.fromRequest(ex.request.headers()).withAcl(acl)) : Optional.empty();
    UnaryOperator<ObjectMetadata> tagged =
        CopyTagging.metadataOf(ex.header("x-amz-tagging-directive"), ex.header("x-amz-tagging"), replacement);
    // Set in the copy itself: the copy never carries the source's ACL, not even for a moment.
    UnaryOperator<ObjectMetadata> metadataOf = sourceMetadata -> tagged.apply(sourceMetadata).withAcl(acl);
    String ifMatch = ex.header("x-amz-copy-source-if-match");
    String ifNoneMatch = ex.header("x-amz-copy-source-if-none-match");
    String ifModifiedSince = ex.header("x-amz-copy-source-if-modified-since");
    String ifUnmodifiedSince = ex.header("x-amz-copy-source-if-unmodified-since");
    WriteCondition condition = Preconditions.forWrite(ex.header("If-Match"), ex.header("If-None-Match"));
    return ex.blocking(() -> {
      BucketRecord from = registry.find(source.bucket()).orElseThrow(S3Errors::noSuchBucket);
      access.checkCopySource(ex, from, source.key(), source.versionId() != null);
      ObjectInfo copied;
      try {
        copied = versions.writes(bucket).copy(from.id(), source.key(), source.versionId(), bucket.id(), key,
            metadataOf,
            info -> Preconditions.checkCopySource(ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, info),
            condition);
      } catch (DeleteMarkerException e) {
        throw CopySource.namesDeleteMarker();
      }
      BucketLifecycle.confirmCommit(registry, backend, bucket, key);
      return copied;
    }).map(info -> {
      VersionedObjects.writeVersion(ex.response, info.versionId());
      if (source.versionId() != null) {
        ex.response.putHeader("x-amz-copy-source-version-id", source.versionId());
      }
      ex.sendXml(200, S3Xml.copyObject(info));
      return null;
    });
  }

  /**
   * The {@code x-amz-copy-source} header: {@code [/]bucket/key[?versionId=...]}, URL-encoded.
   *
   * @param versionId the source version named, else null
   */
  record CopySource(String bucket, String key, String versionId) {
    static CopySource parse(String header) {
      if (header == null || header.isBlank()) {
        throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
      }
      String value = header.startsWith("/") ? header.substring(1) : header;
      int query = value.indexOf('?');
      String versionId = null;
      if (query >= 0) {
        String version = value.substring(query + 1);
        if (!version.startsWith("versionId=")) {
          throw StorageErrors.notImplemented("copy source query " + version);
        }
        versionId = RequestTarget.decodePath(version.substring("versionId=".length()));
        value = value.substring(0, query);
      }
      int slash = value.indexOf('/');
      if (slash <= 0 || slash == value.length() - 1) {
        throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
      }
      return new CopySource(RequestTarget.decodePath(value.substring(0, slash)),
          RequestTarget.decodePath(value.substring(slash + 1)), versionId);
    }

    /** A reader of the version named (the current one when none is). */
    ObjectReader open(ObjectBackend backend, String bucketId) {
      try {
        return versionId == null ? backend.open(bucketId, key) : backend.open(bucketId, key, versionId);
      } catch (DeleteMarkerException e) {
        throw namesDeleteMarker();
      }
    }

    static dev.canopy.api.error.AwsException namesDeleteMarker() {
      return S3Errors.invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
    }
  }
}
