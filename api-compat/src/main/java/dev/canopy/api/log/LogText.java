package dev.canopy.api.log;

/**
 * Request values made safe for a log line: CR, LF and every other control character come out
 * escaped, so a value cannot end the line and forge the next one; long values are cut. Use it
 * for anything a client chose (a key, a path, an action name, a host name it reports).
 */
public final class LogText {

  /** A log line shows this much of one value; more only fills the disk. */
  public static final int CHARS_MAX = 512;

  private LogText() {}

  /** The value with control characters as {@code \r}, {@code \n}, {@code \t} or {@code \\uXXXX}; "null" for null. */
  public static String escape(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = null;
    int length = Math.min(text.length(), CHARS_MAX);
    if (length < text.length() && Character.isHighSurrogate(text.charAt(length - 1))
        && Character.isLowSurrogate(text.charAt(length))) {
      // Cutting between the halves of a pair would log a lone surrogate, which encoders turn into '?'.
      length--;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(length + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    String kept = out != null ? out.toString() : text.substring(0, length);
    return length < text.length() ? kept + "...(" + (text.length() - length) + " more chars)" : kept;
  }

  private static String replacement(char c) {
    return switch (c) {
      case '\r' -> "\\r";
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      case '\\' -> "\\\\";
      default -> isLineBreaking(c) ? String.format("\\u%04x", (int) c) : null;
    };
  }

  /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
  private static boolean isLineBreaking(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
