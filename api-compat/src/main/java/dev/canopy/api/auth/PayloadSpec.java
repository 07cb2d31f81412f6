package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.checksum.ChecksumAlgorithm;
import dev.canopy.api.http.RequestHead;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything a request's headers promise about its body: mode, whole-body SHA-256, Content-MD5,
 * {@code x-amz-checksum-*} values, checksums announced for the trailer, decoded length. Parsed
 * (and its syntax checked) before the first body byte is read, so a bad header fails fast.
 *
 * @param expectedSha256 the digest x-amz-content-sha256 names in {@link PayloadMode#SHA256}, or
 *     null
 * @param contentMd5 the decoded Content-MD5, or null
 * @param headerChecksums x-amz-checksum-* headers, base64 as sent
 * @param trailerChecksums checksums x-amz-trailer announces (trailer modes only)
 */
record PayloadSpec(
    PayloadMode mode,
    byte[] expectedSha256,
    byte[] contentMd5,
    Map<ChecksumAlgorithm, String> headerChecksums,
    Set<ChecksumAlgorithm> trailerChecksums,
    OptionalLong decodedLength) {

  static PayloadSpec parse(RequestHead head, PayloadMode mode, String contentSha256)
      throws AuthException {
    byte[] sha = mode == PayloadMode.SHA256 ? Crypto.HEX.parseHex(contentSha256) : null;
    byte[] md5 = null;
    Optional<String> md5Header = head.header("content-md5");
    if (md5Header.isPresent()) {
      md5 = decodeDigest(md5Header.get(), 16, "The Content-MD5 you specified is not valid.");
    }
    Map<ChecksumAlgorithm, String> checksums = new EnumMap<>(ChecksumAlgorithm.class);
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      Optional<String> v = head.header(a.headerName());
      if (v.isPresent()) {
        String value = v.get().trim();
        decodeDigest(value, a.digestLengthBytes(), "Value for " + a.headerName() + " header is invalid.");
        checksums.put(a, value);
      }
    }
    Set<ChecksumAlgorithm> trailers = EnumSet.noneOf(ChecksumAlgorithm.class);
    Optional<String> trailerHeader = head.header("x-amz-trailer");
    if (mode.trailer() && trailerHeader.isPresent()) {
      for (String name : trailerHeader.get().split(",")) {
        if (name.isBlank()) {
          continue;
        }
        ChecksumAlgorithm a =
            ChecksumAlgorithm.fromHeaderName(name)
                .orElseThrow(
                    () ->
                        new AuthException(
                            Kind.INVALID_DIGEST, "unsupported trailer '" + name.trim() + "' in x-amz-trailer"));
        trailers.add(a);
      }
    }
    return new PayloadSpec(
        mode,
        sha,
        md5,
        Collections.unmodifiableMap(checksums),
        Collections.unmodifiableSet(trailers),
        decodedLength(head));
  }

  /** Base64 of exactly {@code length} bytes, else INVALID_DIGEST. */
  static byte[] decodeDigest(String base64, int length, String message) throws AuthException {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64.trim());
      if (bytes.length == length) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // fall through: not base64
    }
    throw new AuthException(Kind.INVALID_DIGEST, message);
  }

  private static OptionalLong decodedLength(RequestHead head) throws AuthException {
    Optional<String> v = head.header("x-amz-decoded-content-length");
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(v.get().trim());
      if (n >= 0) {
        return OptionalLong.of(n);
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new AuthException(Kind.INCOMPLETE_BODY, "x-amz-decoded-content-length is not a valid length");
  }
}
