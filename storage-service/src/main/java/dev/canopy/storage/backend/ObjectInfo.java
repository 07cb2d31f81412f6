package dev.canopy.storage.backend;

import java.time.Instant;
import java.util.Map;

/**
 * A committed object as GET, HEAD and listings describe it.
 *
 * @param etag unquoted: hex MD5 for a single PUT, {@code hex-N} for a multipart object
 * @param checksums verified {@code x-amz-checksum-*} values (algorithm in lower case → base64);
 *     empty for multipart and copied objects
 * @param partCount 0 for a single-part object
 */
public record ObjectInfo(
    String key,
    long size,
    String etag,
    Instant lastModified,
    ObjectMetadata metadata,
    Map<String, String> checksums,
    int partCount) {

  public ObjectInfo {
    checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
  }
}
