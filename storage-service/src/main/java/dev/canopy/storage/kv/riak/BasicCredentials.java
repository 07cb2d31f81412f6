package dev.canopy.storage.kv.riak;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The access key id and secret of an {@code Authorization: Basic} header (RFC 7617). */
record BasicCredentials(String accessKeyId, String secret) {

  static Optional<BasicCredentials> parse(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  /** Never the secret: this record may end up in a log line. */
  @Override
  public String toString() {
    return "BasicCredentials[" + accessKeyId + "]";
  }
}
