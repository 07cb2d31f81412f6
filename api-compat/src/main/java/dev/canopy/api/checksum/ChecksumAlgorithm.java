package dev.canopy.api.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The additional checksums S3 accepts in {@code x-amz-checksum-*} headers and trailers. Values
 * travel as base64 of the big-endian digest (4 bytes for the CRC-32s, 8 for CRC-64/NVME).
 */
public enum ChecksumAlgorithm {
  CRC32("crc32", 4),
  CRC32C("crc32c", 4),
  CRC64NVME("crc64nvme", 8),
  SHA1("sha1", 20),
  SHA256("sha256", 32);

  private static final String HEADER_PREFIX = "x-amz-checksum-";

  private final String id;
  private final int digestLengthBytes;

  ChecksumAlgorithm(String id, int digestLengthBytes) {
    this.id = id;
    this.digestLengthBytes = digestLengthBytes;
  }

  /** Lower-case name as used in headers and {@code PayloadDigests}: "crc32", "sha256", ... */
  public String id() {
    return id;
  }

  /** {@code x-amz-checksum-<id>}. */
  public String headerName() {
    return HEADER_PREFIX + id;
  }

  public int digestLengthBytes() {
    return digestLengthBytes;
  }

  /** A fresh running checksum of this algorithm. */
  public RunningChecksum newChecksum() {
    return switch (this) {
      case CRC32 -> RunningChecksum.ofCrc(new CRC32(), 4);
      case CRC32C -> RunningChecksum.ofCrc(new CRC32C(), 4);
      case CRC64NVME -> RunningChecksum.ofCrc(new Crc64Nvme(), 8);
      case SHA1 -> RunningChecksum.ofDigest(digest("SHA-1"));
      case SHA256 -> RunningChecksum.ofDigest(digest("SHA-256"));
    };
  }

  /** Finds an algorithm by id ("CRC32", "crc32c", ...; case-insensitive). */
  public static Optional<ChecksumAlgorithm> fromId(String id) {
    String lower = id.trim().toLowerCase(Locale.ROOT);
    for (ChecksumAlgorithm a : values()) {
      if (a.id.equals(lower)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Finds the algorithm a header or trailer name stands for ({@code x-amz-checksum-crc32}). */
  public static Optional<ChecksumAlgorithm> fromHeaderName(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    return lower.startsWith(HEADER_PREFIX)
        ? fromId(lower.substring(HEADER_PREFIX.length()))
        : Optional.empty();
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-1 and SHA-256.
      throw new IllegalStateException(name + " missing from this JVM", e);
    }
  }
}
