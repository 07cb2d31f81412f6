package dev.canopy.deploy.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/** Hostile values every generator draws from: numbers at the edges, bad text, oversized text. */
final class FuzzValues {

  /** The largest single value generated; bodies stay under the endpoints' own caps most of the time. */
  static final int LONG_TEXT_CHARS_MAX = 200_000;

  private static final List<String> NUMBERS = List.of(
      "0", "-0", "-1", "1", "2147483647", "2147483648", "-2147483649", "4294967296",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809",
      "99999999999999999999999999999999999999", "1e309", "-1e309", "1.5", "NaN", "Infinity",
      "0x1F", "+5", " 7", "7 ", "", "00000000000000000000000000001", "1_000", "٣");

  /** Byte sequences that are not UTF-8: a lone continuation, overlong, a surrogate, truncated, 0xFF. */
  private static final List<byte[]> INVALID_UTF8 = List.of(
      new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xC3, (byte) 0x28},
      new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

  private static final List<String> NASTY = List.of(
      "../../../etc/passwd", "..", ".", "/", "//", "%00", "\u0000", "<a>&amp;</a>", "]]>", "'\"<>&",
      "${jndi:ldap://x}", "%s%n%x", "\u202e\u200b\ufeff", "😀", "a\tb", "null", "true", "[]", "{}",
      "i-", "i-00000000", "ami-ffffffffffffffff", "sg-", "key-0", "\\", "*", "?", "#");

  private FuzzValues() {}

  static String number(RandomGenerator r) {
    return switch (r.nextInt(4)) {
      case 0 -> Long.toString(r.nextLong());
      case 1 -> Integer.toString(r.nextInt(-5, 70_000));
      default -> pick(r, NUMBERS);
    };
  }

  /** A value as bytes: a number, a nasty string, invalid UTF-8, a long run, or a short word. */
  static byte[] bytes(RandomGenerator r) {
    return switch (r.nextInt(8)) {
      case 0 -> number(r).getBytes(StandardCharsets.UTF_8);
      case 1 -> pick(r, NASTY).getBytes(StandardCharsets.UTF_8);
      case 2 -> withInvalidUtf8(r, word(r));
      case 3 -> longText(r).getBytes(StandardCharsets.UTF_8);
      case 4 -> randomBytes(r, r.nextInt(1, 64));
      default -> word(r).getBytes(StandardCharsets.UTF_8);
    };
  }

  static String word(RandomGenerator r) {
    int length = r.nextInt(1, 16);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  /** Mostly a few KB, now and then far beyond any limit the APIs document. */
  static String longText(RandomGenerator r) {
    int length = r.nextInt(10) == 0 ? r.nextInt(64_000, LONG_TEXT_CHARS_MAX) : r.nextInt(256, 8_192);
    return String.valueOf((char) ('a' + r.nextInt(26))).repeat(length);
  }

  static byte[] withInvalidUtf8(RandomGenerator r, String around) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] text = around.getBytes(StandardCharsets.UTF_8);
    int at = r.nextInt(text.length + 1);
    out.write(text, 0, at);
    out.writeBytes(INVALID_UTF8.get(r.nextInt(INVALID_UTF8.size())));
    out.write(text, at, text.length - at);
    return out.toByteArray();
  }

  static byte[] randomBytes(RandomGenerator r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return bytes;
  }

  /** Percent-encodes every byte outside RFC 3986's unreserved set, as a Query or form value. */
  static String percentEncode(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  /**
   * A header value: bytes as Latin-1 chars (so invalid UTF-8 goes on the wire as is), without
   * CR, LF or NUL, which would end or split the header rather than test its value.
   */
  static String headerValue(RandomGenerator r) {
    String latin1 = new String(bytes(r), StandardCharsets.ISO_8859_1);
    return latin1.replaceAll("[\r\n\u0000]", "x");
  }

  static <T> T pick(RandomGenerator r, List<T> choices) {
    return choices.get(r.nextInt(choices.size()));
  }
}
