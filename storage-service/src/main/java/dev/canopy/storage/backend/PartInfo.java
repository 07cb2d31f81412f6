package dev.canopy.storage.backend;

import java.time.Instant;

/** An uploaded part of a multipart upload. {@code md5} is the raw digest; the ETag is its hex. */
public record PartInfo(int partNumber, long size, byte[] md5, Instant lastModified) {

  public String etag() {
    return java.util.HexFormat.of().formatHex(md5);
  }
}
