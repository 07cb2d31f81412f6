package dev.canopy.api.auth;

import java.util.Optional;
import java.util.regex.Pattern;

/** How a body is protected, as announced by x-amz-content-sha256. */
enum PayloadMode {
  /** The header is the SHA-256 of the whole body, in hex. */
  SHA256(null, false, false, false),
  UNSIGNED("UNSIGNED-PAYLOAD", false, false, false),
  STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true, true, false),
  STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", true, false, true),
  STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true, true, true);

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final String token;
  private final boolean chunked;
  private final boolean signedChunks;
  private final boolean trailer;

  PayloadMode(String token, boolean chunked, boolean signedChunks, boolean trailer) {
    this.token = token;
    this.chunked = chunked;
    this.signedChunks = signedChunks;
    this.trailer = trailer;
  }

  /** The x-amz-content-sha256 value naming this mode; null for {@link #SHA256}. */
  String token() {
    return token;
  }

  /** The body is aws-chunked framing rather than the payload itself. */
  boolean chunked() {
    return chunked;
  }

  /** Each chunk carries a chunk-signature chained from the request signature. */
  boolean signedChunks() {
    return signedChunks;
  }

  /** Checksums (and for signed modes a trailer signature) follow the final chunk. */
  boolean trailer() {
    return trailer;
  }

  /** Reads an x-amz-content-sha256 value; empty when it is neither a hash nor a known mode. */
  static Optional<PayloadMode> of(String contentSha256) {
    if (HEX_SHA256.matcher(contentSha256).matches()) {
      return Optional.of(SHA256);
    }
    for (PayloadMode m : values()) {
      if (contentSha256.equals(m.token)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
