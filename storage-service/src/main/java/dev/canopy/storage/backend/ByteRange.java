package dev.canopy.storage.backend;

/**
 * A resolved, satisfiable byte range {@code [first, last]} (inclusive, as in Content-Range), and
 * the parser for the one {@code Range} header form S3 honours: a single {@code bytes=} range.
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("bad range " + first + "-" + last);
    }
  }

  public long length() {
    return last - first + 1;
  }

  /** The outcome of applying a Range header to an object of a known size. */
  public sealed interface Resolution permits Whole, Partial, Unsatisfiable {}

  /** Serve the whole object with 200: no header, a syntax S3 ignores, or several ranges. */
  public record Whole() implements Resolution {}

  /** Serve 206 with this range. */
  public record Partial(ByteRange range) implements Resolution {}

  /** Answer 416 InvalidRange. */
  public record Unsatisfiable() implements Resolution {}

  /**
   * Resolves a Range header against an object of {@code size} bytes, following RFC 9110 the way
   * S3 does: an invalid header is ignored (200), several ranges are answered with the whole
   * object, a last position past the end is clipped, a first position at or past the end is
   * unsatisfiable, and a suffix longer than the object means the whole object.
   */
  public static Resolution resolve(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    String value = header.trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return new Whole();
    }
    String spec = value.substring(6).trim();
    if (spec.contains(",")) {
      return new Whole();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    String firstText = spec.substring(0, dash).trim();
    String lastText = spec.substring(dash + 1).trim();
    Long firstPos = parseDigits(firstText);
    Long lastPos = parseDigits(lastText);
    if (firstText.isEmpty()) {
      // Suffix form "-n": the last n bytes.
      if (lastPos == null) {
        return new Whole();
      }
      if (lastPos == 0 || size == 0) {
        return new Unsatisfiable();
      }
      long suffix = Math.min(lastPos, size);
      return new Partial(new ByteRange(size - suffix, size - 1));
    }
    if (firstPos == null || (!lastText.isEmpty() && lastPos == null)) {
      return new Whole();
    }
    if (lastPos != null && lastPos < firstPos) {
      return new Whole(); // syntactically invalid per RFC 9110: ignored
    }
    if (firstPos >= size) {
      return new Unsatisfiable();
    }
    long end = lastPos == null ? size - 1 : Math.min(lastPos, size - 1);
    return new Partial(new ByteRange(firstPos, end));
  }

  /** Non-negative decimal, or null when empty, not all digits, or too large for a long. */
  private static Long parseDigits(String text) {
    if (text.isEmpty() || text.length() > 18) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(text);
  }
}
