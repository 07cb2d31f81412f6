package dev.canopy.storage.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Names in the internal KV API's paths: each namespace and key is one path segment,
 * percent-encoded byte by byte (UTF-8), so keys may hold {@code /}, spaces or any other
 * character except NUL. Decoding is strict: a stray {@code %}, bad hex or invalid UTF-8 is
 * refused, never guessed at.
 */
public final class KvPaths {

  public static final String PREFIX = "/v1/kv/";
  /** Grid map names are short; the bound keeps request lines small. */
  public static final int NAMESPACE_BYTES_MAX = 255;
  /** Grid keys are ids and names; 1 KiB leaves room while bounding the request line (≤ ~3.9 KiB). */
  public static final int KEY_BYTES_MAX = 1024;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KvPaths() {}

  /** The path of a namespace's listing. */
  public static String namespacePath(String namespace) {
    checkNamespace(namespace);
    return PREFIX + encode(namespace);
  }

  /** The query that makes a POST on a namespace's path a batch read of the keys its body names ({@link KvKeys}). */
  public static final String BATCH_READ_QUERY = "get";

  /** The path (and query) of a batch read of a namespace's records. */
  public static String batchReadPath(String namespace) {
    return namespacePath(namespace) + "?" + BATCH_READ_QUERY;
  }

  /** The path of one record. */
  public static String recordPath(String namespace, String key) {
    checkNamespace(namespace);
    checkKey(key);
    return PREFIX + encode(namespace) + "/" + encode(key);
  }

  /** @throws IllegalArgumentException saying what is wrong */
  public static void checkNamespace(String namespace) {
    // The store separates namespace and key with NUL; other control characters are never map names.
    checkName("a namespace", namespace, NAMESPACE_BYTES_MAX);
  }

  /** A name of 1 to {@code bytesMax} UTF-8 bytes without control characters. @throws IllegalArgumentException naming {@code what} */
  static void checkName(String what, String name, int bytesMax) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > bytesMax) {
      throw new IllegalArgumentException(what + " must have 1 to " + bytesMax + " bytes, it has " + bytes);
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(what + " must not contain control characters");
    }
  }

  /** @throws IllegalArgumentException saying what is wrong */
  public static void checkKey(String key) {
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > KEY_BYTES_MAX) {
      throw new IllegalArgumentException("a key must have 1 to " + KEY_BYTES_MAX + " bytes, it has " + bytes);
    }
    if (key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a key must not contain NUL");
    }
  }

  /** Percent-encodes every byte outside RFC 3986's unreserved set. */
  public static String encode(String segment) {
    byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length * 3);
    for (byte b : utf8) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes one raw path segment ({@code +} is a plus, not a space).
   *
   * @throws IllegalArgumentException on a malformed escape or invalid UTF-8
   */
  public static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new IllegalArgumentException("a '%' escape is cut off");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("a '%' escape is not two hex digits");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c > 0x20 && c < 0x7F) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("a path segment must be percent-encoded ASCII");
      }
    }
    return strictUtf8(bytes.toByteArray());
  }

  /** Bytes as text, refusing invalid UTF-8 rather than guessing. @throws IllegalArgumentException when invalid */
  static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the decoded name is not valid UTF-8");
    }
  }
}
