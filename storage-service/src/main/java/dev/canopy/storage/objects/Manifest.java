package dev.canopy.storage.objects;

import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.ObjectVersion;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The committed description of an object, one KV value in the namespace's manifests bucket. An
 * object exists exactly when its manifest does; its bytes are {@code inline} (a small object) or
 * the segments' blobs in order (one blob for a PUT, one per part for a multipart upload).
 *
 * @param version a random id of this version, the tie-break between sibling manifests written
 *     in the same millisecond
 * @param inline the whole content of a small object, else null
 * @param versionId the S3 version id in a bucket that was ever versioned ({@code "null"} for a
 *     null version written there); null for a write of a never-versioned bucket, which lives in
 *     the manifests bucket only. Manifests stored before versioning existed read as null.
 * @param deleteMarker a delete marker: no bytes, kept only among a key's versions
 */
record Manifest(
    String key,
    long size,
    String etag,
    long lastModifiedMs,
    String version,
    ObjectMetadata metadata,
    Map<String, String> checksums,
    int partCount,
    byte[] inline,
    List<Segment> segments,
    String versionId,
    boolean deleteMarker) {

  /**
   * Sibling manifests resolve to the newest; in the same millisecond, to the version that lists
   * first among the key's versions (the smallest sort key), so a GET and ListObjectVersions'
   * {@code IsLatest} name the same version when two nodes took versions in one millisecond; then
   * the greatest tie-break id. Every node picks the same winner without talking to the others.
   */
  static final Comparator<Manifest> WINNER_LAST = Comparator.comparingLong(Manifest::lastModifiedMs)
      .thenComparing(Manifest::listingKey, Comparator.reverseOrder())
      .thenComparing(Manifest::version);

  /** Where this version lists among its key's versions; empty for a write of a never-versioned bucket. */
  private static String listingKey(Manifest manifest) {
    return manifest.versionId() == null ? "" : KvVersions.sortKey(manifest);
  }

  Manifest {
    segments = segments == null ? List.of() : List.copyOf(segments);
    checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
  }

  /** One blob of an object, written in chunks of {@code chunkBytes}. */
  record Segment(String blob, long length, int chunkBytes) {
    int chunks() {
      return Math.toIntExact((length + chunkBytes - 1) / chunkBytes);
    }
  }

  /** A delete marker: the key's version at {@code millis}, with no content. */
  static Manifest marker(String key, long millis, String tieBreak, String versionId) {
    return new Manifest(key, 0, null, millis, tieBreak, null, Map.of(), 0, null, List.of(), versionId, true);
  }

  /** This manifest as the version {@code id} of a versioned bucket, modified at {@code millis}. */
  Manifest asVersion(String id, long millis) {
    return new Manifest(key, size, etag, millis, version, metadata, checksums, partCount, inline, segments, id,
        deleteMarker);
  }

  Manifest withMetadata(ObjectMetadata changed) {
    return new Manifest(key, size, etag, lastModifiedMs, version, changed, checksums, partCount, inline, segments,
        versionId, deleteMarker);
  }

  /** The id S3 shows: {@code "null"} for a version written while the bucket was never versioned. */
  String shownVersionId() {
    return versionId == null ? ObjectVersion.NULL_ID : versionId;
  }

  Manifest withVersionId(String id) {
    return asVersion(id, lastModifiedMs);
  }

  /** Kept by the versions bucket: its blobs are collected only when that version is deleted. */
  boolean versioned() {
    return versionId != null;
  }

  boolean holds(String blobId) {
    return segments.stream().anyMatch(s -> s.blob().equals(blobId));
  }

  ObjectInfo info() {
    return new ObjectInfo(key, size, etag, Instant.ofEpochMilli(lastModifiedMs), metadata, checksums,
        ObjectInfo.partSizes(key, partCount, segments.stream().map(Segment::length).toList()), versionId);
  }

  ObjectSummary summary() {
    return new ObjectSummary(key, size, etag, Instant.ofEpochMilli(lastModifiedMs));
  }

  ObjectVersion asVersion(boolean latest) {
    return new ObjectVersion(key, versionId == null ? ObjectVersion.NULL_ID : versionId, deleteMarker, latest,
        Instant.ofEpochMilli(lastModifiedMs), etag, size);
  }
}
