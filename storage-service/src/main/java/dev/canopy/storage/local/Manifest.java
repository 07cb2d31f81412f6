package dev.canopy.storage.local;

import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The committed description of an object, stored in the {@code objects} family. An object
 * exists exactly when its manifest does; its bytes are the segments' blobs in order (one blob
 * for a PUT, one per part for a multipart upload).
 *
 * @param etag unquoted
 * @param chunkSize the chunk size its blobs were written with
 */
record Manifest(
    String key,
    long size,
    String etag,
    long lastModifiedMs,
    ObjectMetadata metadata,
    Map<String, String> checksums,
    int partCount,
    int chunkSize,
    List<Segment> segments) {

  /** One blob of an object. {@code blob} is the hex blob id. */
  record Segment(String blob, long length) {}

  ObjectInfo info() {
    return new ObjectInfo(key, size, etag, Instant.ofEpochMilli(lastModifiedMs), metadata, checksums,
        ObjectInfo.partSizes(key, partCount, segments.stream().map(Segment::length).toList()));
  }

  ObjectSummary summary() {
    return new ObjectSummary(key, size, etag, Instant.ofEpochMilli(lastModifiedMs));
  }
}
