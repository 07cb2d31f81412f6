package dev.canopy.cloud.consoles3;

import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.QueryValues;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The names a console S3 call carries, checked before anything goes to S3 so that a malformed one
 * is a 400 with the console's JSON error, never a path that means something else upstream.
 */
final class S3Names {

  /** S3's rule for new buckets (3-63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  /** S3's longest key, in UTF-8 bytes; also the longest prefix worth asking for. */
  static final int KEY_BYTES_MAX = 1024;
  /** S3 lists at most this many keys a page. */
  static final int PAGE_KEYS_MAX = 1000;
  /** Continuation tokens are opaque but short; anything longer is not one S3 gave out. */
  private static final int TOKEN_CHARS_MAX = 1024;

  private S3Names() {}

  static String bucket(String value) {
    if (value == null || !BUCKET.matcher(value).matches()) {
      throw new ApiError(400, "InvalidBucketName", "not a bucket name: " + QueryValues.shown(value));
    }
    return value;
  }

  static String key(String value) {
    if (value == null || value.isEmpty()) {
      throw ApiError.invalidParameter("name the object with key=");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > KEY_BYTES_MAX) {
      throw new ApiError(400, "KeyTooLongError", "an object key is at most " + KEY_BYTES_MAX + " bytes of UTF-8");
    }
    return value;
  }

  /** An optional prefix: empty when absent. */
  static String prefix(String value) {
    if (value == null) {
      return "";
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > KEY_BYTES_MAX) {
      throw ApiError.invalidParameter("a prefix is at most " + KEY_BYTES_MAX + " bytes of UTF-8");
    }
    return value;
  }

  /** An optional continuation token from an earlier page: null when absent. */
  static String token(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > TOKEN_CHARS_MAX) {
      throw ApiError.invalidParameter("not a continuation token this API gave out");
    }
    return value;
  }

  /** Keys per page, 1 to {@value #PAGE_KEYS_MAX}; {@value #PAGE_KEYS_MAX} when absent. */
  static int pageSize(String value) {
    if (value == null) {
      return PAGE_KEYS_MAX;
    }
    try {
      int size = Integer.parseInt(value);
      if (size >= 1 && size <= PAGE_KEYS_MAX) {
        return size;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.invalidParameter("max must be a whole number from 1 to " + PAGE_KEYS_MAX + ", got " + QueryValues.shown(value));
  }

  /** The name a browser saves an object under: the key's last segment ("a/b/c.txt" is "c.txt"). */
  static String fileName(String key) {
    String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return last.isEmpty() ? "download" : last;
  }
}
