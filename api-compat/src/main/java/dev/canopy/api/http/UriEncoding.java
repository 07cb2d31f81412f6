package dev.canopy.api.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Percent-encoding as AWS uses it: RFC 3986 with only the unreserved characters
 * ({@code A-Z a-z 0-9 - _ . ~}) left as they are, UTF-8, upper-case hex. This is the
 * {@code UriEncode()} of the SigV4 specification, and also what S3 expects for object keys in
 * URLs and for {@code encoding-type=url} listings.
 */
public final class UriEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UriEncoding() {}

  /** Encodes every byte of the UTF-8 form except unreserved characters. */
  public static String encode(String text) {
    return encodeBytes(text.getBytes(StandardCharsets.UTF_8), false);
  }

  /** Like {@link #encode(String)} but leaves '/' as it is (S3 keys in paths). */
  public static String encodePath(String text) {
    return encodeBytes(text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Encodes raw bytes (no charset involved), keeping '/' when {@code keepSlash}. */
  public static String encodeBytes(byte[] bytes, boolean keepSlash) {
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes percent-escapes to the bytes they stand for.
   *
   * @param plusIsSpace true for {@code application/x-www-form-urlencoded} (EC2 Query), where '+'
   *     means a space; false for S3 URLs, where '+' is a literal plus
   * @throws IllegalArgumentException on a '%' not followed by two hex digits
   */
  public static byte[] decodeToBytes(String raw, boolean plusIsSpace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new IllegalArgumentException("truncated percent-escape at offset " + i);
        }
        int hi = hexDigit(raw.charAt(i + 1));
        int lo = hexDigit(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("invalid percent-escape at offset " + i);
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c);
      } else {
        // Not legal on the wire, but some clients send raw UTF-8; keep its bytes.
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
          utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(utf8);
      }
    }
    return out.toByteArray();
  }

  /** {@link #decodeToBytes} as UTF-8 text (invalid sequences become U+FFFD). */
  public static String decode(String raw, boolean plusIsSpace) {
    return new String(decodeToBytes(raw, plusIsSpace), StandardCharsets.UTF_8);
  }

  /**
   * Splits a raw query string or form body on '&' and '=' without decoding. Empty pieces (as in
   * {@code a&&b}) are dropped; a piece without '=' has an empty value.
   *
   * @return raw (still encoded) name/value pairs in wire order
   */
  public static List<Map.Entry<String, String>> splitRaw(String raw) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return pairs;
    }
    int start = 0;
    while (start <= raw.length()) {
      int amp = raw.indexOf('&', start);
      int end = amp < 0 ? raw.length() : amp;
      if (end > start) {
        String piece = raw.substring(start, end);
        int eq = piece.indexOf('=');
        pairs.add(
            eq < 0 ? Map.entry(piece, "") : Map.entry(piece.substring(0, eq), piece.substring(eq + 1)));
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
    return pairs;
  }

  /**
   * The value of an ASCII hex digit, else -1. Not {@code Character.digit}: it also reads
   * full-width and other non-ASCII digits and letters ('\uFF14', '\u0664'), so a broken escape
   * would decode to a byte instead of being refused.
   */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~';
  }
}
