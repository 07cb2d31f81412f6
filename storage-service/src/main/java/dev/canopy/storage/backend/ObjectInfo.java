package dev.canopy.storage.backend;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A committed object as GET, HEAD and listings describe it.
 *
 * @param etag unquoted: hex MD5 for a single PUT, {@code hex-N} for a multipart object
 * @param checksums verified {@code x-amz-checksum-*} values (algorithm in lower case → base64);
 *     empty for multipart and copied objects
 * @param partSizes the byte length of each part of a multipart object, in the object's order
 *     (part N is entry N-1); empty for a single-part object
 * @param versionId the version's id in a bucket that was ever versioned ({@code "null"} for its
 *     null version); null in a never-versioned bucket, where S3 sends no version header
 */
public record ObjectInfo(
    String key,
    long size,
    String etag,
    Instant lastModified,
    ObjectMetadata metadata,
    Map<String, String> checksums,
    List<Long> partSizes,
    String versionId) {

  /** An object of a never-versioned bucket. */
  public ObjectInfo(
      String key, long size, String etag, Instant lastModified, ObjectMetadata metadata, Map<String, String> checksums,
      List<Long> partSizes) {
    this(key, size, etag, lastModified, metadata, checksums, partSizes, null);
  }

  public ObjectInfo {
    checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
    partSizes = partSizes == null ? List.of() : List.copyOf(partSizes);
    // The parts are the object: their lengths must add up to its size (a bug otherwise).
    if (!partSizes.isEmpty() && partSizes.stream().mapToLong(Long::longValue).sum() != size) {
      throw new IllegalStateException("parts of " + key + " add up to " + partSizes + ", not " + size);
    }
  }

  /**
   * The part sizes of a stored object whose manifest names {@code segmentLengths}: a multipart
   * object ({@code partCount > 0}) has one segment per part; a single-part object has none.
   */
  public static List<Long> partSizes(String key, int partCount, List<Long> segmentLengths) {
    if (partCount == 0) {
      return List.of();
    }
    if (segmentLengths.size() != partCount) {
      throw new IllegalStateException(
          "manifest of " + key + " has " + segmentLengths.size() + " segments for " + partCount + " parts");
    }
    return segmentLengths;
  }

  /** 0 for a single-part object. */
  public int partCount() {
    return partSizes.size();
  }

  /**
   * The bytes of part {@code partNumber} (1-based) of a multipart object: empty when the object
   * has no such part, or when the part is empty (a last part of 0 bytes has no byte range).
   */
  public Optional<ByteRange> partRange(int partNumber) {
    if (partNumber < 1 || partNumber > partSizes.size()) {
      return Optional.empty();
    }
    long first = 0;
    for (int i = 0; i < partNumber - 1; i++) {
      first += partSizes.get(i);
    }
    long length = partSizes.get(partNumber - 1);
    return length == 0 ? Optional.empty() : Optional.of(new ByteRange(first, first + length - 1));
  }
}
