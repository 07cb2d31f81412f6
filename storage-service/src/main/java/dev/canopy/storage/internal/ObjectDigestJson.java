package dev.canopy.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.storage.backend.ObjectDigest;
import java.io.IOException;

/**
 * The body of a digest answer: {@code {"size":N,"etag":"…","sha256":"…"}} (etag unquoted, sha256
 * lowercase hex). Fields a reader does not know are ignored, so the server may add some.
 */
public final class ObjectDigestJson {

  public static final String CONTENT_TYPE = "application/json";
  /** A digest answer is under 300 bytes; a reader refuses anything much larger rather than buffer it. */
  public static final int BODY_BYTES_MAX = 4096;

  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ObjectDigestJson() {}

  public static byte[] encode(ObjectDigest digest) {
    try {
      return JSON.writeValueAsBytes(digest);
    } catch (IOException e) {
      throw new IllegalStateException("a record of a number and two strings always encodes", e);
    }
  }

  /** @throws IllegalArgumentException when the bytes are not a complete, valid digest */
  public static ObjectDigest decode(byte[] body) {
    if (body.length > BODY_BYTES_MAX) {
      throw new IllegalArgumentException("a digest answer of " + body.length + " bytes passes " + BODY_BYTES_MAX);
    }
    try {
      ObjectDigest digest = JSON.readValue(body, ObjectDigest.class);
      if (digest == null) {
        throw new IllegalArgumentException("the digest answer is empty");
      }
      return digest;
    } catch (JsonProcessingException e) {
      // Jackson wraps the record's own refusal (a bad sha256, a missing etag) in its exception.
      throw new IllegalArgumentException("not a digest answer: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array does no I/O", e);
    }
  }
}
