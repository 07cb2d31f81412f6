package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.checksum.ChecksumAlgorithm;
import dev.canopy.api.checksum.RunningChecksum;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hashes decoded payload bytes (MD5 always; SHA-256 and x-amz-checksum-* algorithms when the
 * request asks for them) and, at the end, holds them against what the headers and trailers
 * promised. Shared by every payload mode so that each mode checks the same things.
 */
final class PayloadDigester {

  private final PayloadSpec spec;
  private final MessageDigest md5 = Crypto.newDigest("MD5");
  private final MessageDigest sha256;
  private final Map<ChecksumAlgorithm, RunningChecksum> checksums =
      new EnumMap<>(ChecksumAlgorithm.class);
  private long length;

  PayloadDigester(PayloadSpec spec) {
    this.spec = spec;
    this.sha256 = spec.expectedSha256() != null ? Crypto.newSha256() : null;
    for (ChecksumAlgorithm a : spec.headerChecksums().keySet()) {
      checksums.put(a, a.newChecksum());
    }
    for (ChecksumAlgorithm a : spec.trailerChecksums()) {
      checksums.computeIfAbsent(a, ChecksumAlgorithm::newChecksum);
    }
  }

  /** Consumes the remaining bytes of {@code payload} (decoded payload, not wire framing). */
  void update(ByteBuffer payload) throws AuthException {
    int n = payload.remaining();
    // Fail as soon as the body outgrows its declared length rather than after reading it all.
    if (spec.decodedLength().isPresent() && length + n > spec.decodedLength().getAsLong()) {
      throw new AuthException(
          Kind.INCOMPLETE_BODY, "the body is longer than x-amz-decoded-content-length");
    }
    length += n;
    md5.update(payload.duplicate());
    if (sha256 != null) {
      sha256.update(payload.duplicate());
    }
    for (RunningChecksum c : checksums.values()) {
      c.update(payload.duplicate());
    }
    payload.position(payload.limit());
  }

  /**
   * Checks lengths, hashes and checksums.
   *
   * @param trailerValues checksum trailers as received (base64), empty outside trailer modes
   */
  PayloadDigests finish(Map<ChecksumAlgorithm, String> trailerValues) throws AuthException {
    if (spec.decodedLength().isPresent() && length != spec.decodedLength().getAsLong()) {
      throw new AuthException(
          Kind.INCOMPLETE_BODY,
          "You did not provide the number of bytes specified by x-amz-decoded-content-length");
    }
    if (sha256 != null && !MessageDigest.isEqual(sha256.digest(), spec.expectedSha256())) {
      throw new AuthException(
          Kind.CONTENT_SHA256_MISMATCH,
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    byte[] md5Digest = md5.digest();
    if (spec.contentMd5() != null && !MessageDigest.isEqual(md5Digest, spec.contentMd5())) {
      throw new AuthException(
          Kind.BAD_DIGEST, "The Content-MD5 you specified did not match what we received.");
    }
    Map<String, String> verified = new LinkedHashMap<>();
    for (Map.Entry<ChecksumAlgorithm, String> e : spec.headerChecksums().entrySet()) {
      check(e.getKey(), e.getValue());
      verified.put(e.getKey().id(), e.getValue());
    }
    for (ChecksumAlgorithm a : spec.trailerChecksums()) {
      String value = trailerValues.get(a);
      if (value == null) {
        throw new AuthException(
            Kind.INCOMPLETE_BODY, "the trailer " + a.headerName() + " announced in x-amz-trailer is missing");
      }
      PayloadSpec.decodeDigest(value, a.digestLengthBytes(), "Value for " + a.headerName() + " trailing header is invalid.");
      check(a, value);
      verified.put(a.id(), value);
    }
    return new PayloadDigests(length, md5Digest, Collections.unmodifiableMap(verified));
  }

  private void check(ChecksumAlgorithm a, String expectedBase64) throws AuthException {
    byte[] expected = Base64.getDecoder().decode(expectedBase64.trim());
    if (!MessageDigest.isEqual(checksums.get(a).digest(), expected)) {
      throw new AuthException(
          Kind.BAD_DIGEST,
          "The " + a.id().toUpperCase(Locale.ROOT) + " you specified did not match the calculated checksum.");
    }
  }
}
