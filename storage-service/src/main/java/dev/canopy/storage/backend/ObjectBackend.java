package dev.canopy.storage.backend;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Object data and metadata of every bucket on this storage node. Buckets themselves (names,
 * owners) live in the cloud-wide registry; this interface only scopes keys by bucket name.
 *
 * <p>Every method blocks on storage: call it from a worker thread, never an event loop. All
 * methods are thread safe. Client errors are {@link dev.canopy.api.error.AwsException}s built by
 * {@link dev.canopy.api.error.S3Errors} or {@link StorageErrors}; storage failures are
 * {@link dev.canopy.storage.local.StoreException}.
 *
 * <p>Upload lifecycle: {@code newBlob → write* → commit*} (visible, durable) or {@code abort}
 * (gone); a blob neither committed nor aborted before a crash is swept at the next start.
 */
public interface ObjectBackend {

  /** Starts a new, invisible blob for the body of a PutObject or UploadPart. */
  BlobWriter newBlob();

  /**
   * Makes a blob the object's content, atomically replacing any previous version, and makes it
   * durable before returning.
   *
   * @param md5 the verified MD5 of the blob's bytes (the ETag)
   */
  default ObjectInfo commitObject(
      String bucket, String key, BlobWriter blob, byte[] md5, ObjectMetadata metadata,
      Map<String, String> checksums) {
    return commitObject(bucket, key, blob, md5, metadata, checksums, WriteCondition.NONE);
  }

  /**
   * {@link #commitObject(String, String, BlobWriter, byte[], ObjectMetadata, Map)} only if the
   * current version satisfies {@code condition}, checked atomically with the commit; otherwise
   * throws its S3 error and aborts the blob.
   */
  ObjectInfo commitObject(
      String bucket, String key, BlobWriter blob, byte[] md5, ObjectMetadata metadata,
      Map<String, String> checksums, WriteCondition condition);

  Optional<ObjectInfo> head(String bucket, String key);

  /** A consistent reader of the current version; throws NoSuchKey. */
  ObjectReader open(String bucket, String key);

  /** Deletes a key; true when it existed. Deleting a missing key is not an error (S3 answers 204). */
  boolean delete(String bucket, String key);

  /**
   * Deletes the key's current version only if {@code stillDue} accepts it, judged on the very
   * version deleted: a version written after the judgement (an overwrite, a tag change) is never
   * deleted by it. Lifecycle expiration's delete; false when nothing was deleted.
   */
  boolean deleteIf(String bucket, String key, Predicate<ObjectInfo> stillDue);

  /** Deletes several keys, one outcome per key in request order. */
  List<DeleteOutcome> deleteAll(String bucket, List<String> keys);

  /**
   * Copies an object's bytes into a new object (data is copied: blobs have one owner).
   *
   * @param replacement the new metadata, or empty to keep the source's
   */
  default ObjectInfo copy(
      String sourceBucket, String sourceKey, String bucket, String key,
      Optional<ObjectMetadata> replacement) {
    return copy(sourceBucket, sourceKey, bucket, key, source -> replacement.orElse(source), source -> {},
        WriteCondition.NONE);
  }

  /**
   * {@link #copy(String, String, String, String, Optional)} after {@code sourceCheck} accepted the
   * very version that is copied (it throws the S3 error that refuses the copy, e.g. a failed
   * {@code x-amz-copy-source-if-match}), committed only if the destination's current version
   * satisfies {@code condition}.
   *
   * @param metadataOf the copy's metadata from that version's (CopyObject may keep the source's
   *     user metadata and replace its tags, or the reverse)
   */
  ObjectInfo copy(
      String sourceBucket, String sourceKey, String bucket, String key,
      UnaryOperator<ObjectMetadata> metadataOf, Consumer<ObjectInfo> sourceCheck, WriteCondition condition);

  /**
   * Rewrites the metadata of the key's current version (its tags, its ACL) without touching its
   * bytes, ETag or Last-Modified, as PutObjectTagging and PutObjectAcl do; throws NoSuchKey.
   * Atomic for readers: they see the old metadata or the new, and a concurrent overwrite of the
   * object is never mixed with the rewrite.
   */
  ObjectInfo updateMetadata(String bucket, String key, UnaryOperator<ObjectMetadata> change);

  /**
   * The bucket's configuration documents (its policy, CORS rules, tags, lifecycle, ACL...) by
   * sub-resource name, as {@link #setBucketConfig} stored them; empty when none. Stored beside the
   * bucket's objects under its id, so a bucket re-created under the same name starts bare.
   */
  Map<String, String> bucketConfig(String bucket);

  /**
   * Stores one configuration document of a bucket, or removes it when {@code document} is null;
   * durable on return. Documents are independent: setting one never loses another set at once.
   */
  void setBucketConfig(String bucket, String name, String document);

  /**
   * Ids of the buckets that have (or had: a removed document may leave its bucket listed) any
   * configuration document, in id order, after {@code after} ("" for the first), at most
   * {@code limit}: how a background job finds the buckets a document governs.
   */
  List<String> configuredBuckets(String after, int limit);

  /** True when the bucket holds no object and no in-progress multipart upload. */
  boolean isBucketEmpty(String bucket);

  ListPage list(String bucket, ListQuery query);

  UploadInfo createUpload(String bucket, String key, ObjectMetadata metadata);

  /** Makes a blob part {@code partNumber} of an upload, replacing an earlier upload of it. */
  PartInfo commitPart(String bucket, String key, String uploadId, int partNumber, BlobWriter blob, byte[] md5);

  /** Assembles the listed parts into the object without copying data; the upload ends. */
  default ObjectInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts) {
    return completeUpload(bucket, key, uploadId, parts, WriteCondition.NONE);
  }

  /**
   * {@link #completeUpload(String, String, String, List)} only if the current version of the key
   * satisfies {@code condition}; otherwise throws its S3 error and the upload stays as it was.
   */
  ObjectInfo completeUpload(
      String bucket, String key, String uploadId, List<CompletedPart> parts, WriteCondition condition);

  void abortUpload(String bucket, String key, String uploadId);

  PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts);

  default UploadsPage listUploads(String bucket, String prefix, String keyMarker, String uploadIdMarker, int maxUploads) {
    return listUploads(bucket, prefix, "", keyMarker, uploadIdMarker, maxUploads);
  }

  /** A page of in-progress uploads; a non-empty {@code delimiter} rolls keys up as ListObjects does. */
  UploadsPage listUploads(
      String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads);

  // ---- versioning: a backend that does not keep versions answers NotImplemented ----

  /**
   * This backend with writes (commit, copy, complete, {@link #deleteVersion}) obeying the bucket's
   * versioning state; {@link Versioning#UNVERSIONED} is this backend itself.
   */
  default ObjectBackend versioned(Versioning mode) {
    if (mode == Versioning.UNVERSIONED) {
      return this;
    }
    throw StorageErrors.notImplemented("bucket versioning on this storage backend");
  }

  /**
   * One version of a key by id ({@link ObjectVersion#NULL_ID} for the null version); empty when
   * there is no such version. A delete marker's id throws {@link DeleteMarkerException}.
   */
  default Optional<ObjectInfo> head(String bucket, String key, String versionId) {
    if (versionId.equals(ObjectVersion.NULL_ID)) {
      return head(bucket, key); // without versions, the current version is the null version
    }
    throw StorageErrors.notImplemented("reading a specific version on this storage backend");
  }

  /** A consistent reader of one version; throws NoSuchVersion, or {@link DeleteMarkerException}. */
  default ObjectReader open(String bucket, String key, String versionId) {
    if (versionId.equals(ObjectVersion.NULL_ID)) {
      return open(bucket, key);
    }
    throw StorageErrors.notImplemented("reading a specific version on this storage backend");
  }

  /** The key's newest version, object or delete marker; empty when it has none. */
  default Optional<ObjectVersion> latestVersion(String bucket, String key) {
    return head(bucket, key).map(info -> new ObjectVersion(
        key, info.versionId(), false, true, info.lastModified(), info.etag(), info.size()));
  }

  /**
   * With {@code versionId} null, deletes the key as the versioning state says (on {@link
   * #versioned} backends: adds a delete marker); otherwise removes that version for good, making
   * the next newest current. Removing a version that does not exist is not an error.
   */
  default VersionDeletion deleteVersion(String bucket, String key, String versionId) {
    if (versionId != null && !versionId.equals(ObjectVersion.NULL_ID)) {
      throw StorageErrors.notImplemented("deleting a specific version on this storage backend");
    }
    delete(bucket, key);
    return VersionDeletion.UNVERSIONED;
  }

  /**
   * {@link #copy(String, String, String, String, UnaryOperator, Consumer, WriteCondition)} of the
   * source's version {@code sourceVersionId} (null: its current version).
   */
  default ObjectInfo copy(
      String sourceBucket, String sourceKey, String sourceVersionId, String bucket, String key,
      UnaryOperator<ObjectMetadata> metadataOf, Consumer<ObjectInfo> sourceCheck, WriteCondition condition) {
    if (sourceVersionId == null || sourceVersionId.equals(ObjectVersion.NULL_ID)) {
      return copy(sourceBucket, sourceKey, bucket, key, metadataOf, sourceCheck, condition);
    }
    throw StorageErrors.notImplemented("copying a specific version on this storage backend");
  }

  /**
   * {@link #updateMetadata(String, String, UnaryOperator)} of one version ({@code versionId} null:
   * the current one); throws NoSuchVersion, or {@link DeleteMarkerException} for a marker's id.
   */
  default ObjectInfo updateMetadata(String bucket, String key, String versionId, UnaryOperator<ObjectMetadata> change) {
    if (versionId == null || versionId.equals(ObjectVersion.NULL_ID)) {
      return updateMetadata(bucket, key, change);
    }
    throw StorageErrors.notImplemented("changing a specific version on this storage backend");
  }

  /** A page of ListObjectVersions. */
  default VersionsPage listVersions(String bucket, VersionsQuery query) {
    throw StorageErrors.notImplemented("listing versions on this storage backend");
  }
}
