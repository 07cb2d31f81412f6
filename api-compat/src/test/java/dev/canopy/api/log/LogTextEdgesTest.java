package dev.canopy.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads in a log line made from any client-chosen value: one line, no
 * control character, nothing that decodes differently from what was sent, and a cut that never
 * leaves half a character behind.
 */
class LogTextEdgesTest {

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  /** Undoes {@link LogText#escape} on an uncut value. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = s.charAt(++i);
      switch (next) {
        case 'r' -> out.append('\r');
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case '\\' -> out.append('\\');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new AssertionError("unknown escape \\" + next + " in " + s);
      }
    }
    return out.toString();
  }

  private static String randomValue(Random r, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (r.nextInt(5)) {
        case 0 -> sb.append((char) r.nextInt(0x20));
        case 1 -> sb.append((char) (0x7f + r.nextInt(0x21)));
        case 2 -> sb.append("\u2028\u2029\r\n\\".charAt(r.nextInt(5)));
        case 3 -> sb.appendCodePoint(0x10000 + r.nextInt(0x1000));
        default -> sb.append((char) (0x20 + r.nextInt(0x5f)));
      }
    }
    return sb.toString();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyValueStaysOnOneLineAndReadsBackExactly(long seed) {
    String value = randomValue(new Random(seed), (int) (seed % 200));

    String escaped = LogText.escape(value);

    assertThat(escaped.lines().count()).isLessThanOrEqualTo(1);
    assertThat(escaped.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029))
        .as(escaped)
        .isTrue();
    assertThat(unescape(escaped)).isEqualTo(value);
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String value = "a".repeat(LogText.CHARS_MAX - 1) + "\uD83D\uDE00" + "tail";

    String escaped = LogText.escape(value);

    assertThat(escaped).doesNotContain("\uD83D");
    assertThat(escaped).startsWith("a".repeat(LogText.CHARS_MAX - 1) + "...(");
    assertThat(escaped).endsWith("...(6 more chars)");
  }

  @Test
  void aPairJustInsideTheCutIsKept() {
    String value = "a".repeat(LogText.CHARS_MAX - 2) + "\uD83D\uDE00" + "tail";

    assertThat(LogText.escape(value)).startsWith("a".repeat(LogText.CHARS_MAX - 2) + "\uD83D\uDE00...(4 more chars)");
  }

  @Test
  void theCutCountsCharactersOfTheValueNotOfItsEscapes() {
    String value = "\n".repeat(LogText.CHARS_MAX + 1);

    String escaped = LogText.escape(value);

    assertThat(escaped).isEqualTo("\\n".repeat(LogText.CHARS_MAX) + "...(1 more chars)");
  }

  @Test
  void aValueOfExactlyTheLimitIsNotCut() {
    String value = "b".repeat(LogText.CHARS_MAX);

    assertThat(LogText.escape(value)).isEqualTo(value);
  }

  @Test
  void objectsAreLoggedByTheirText() {
    assertThat(LogText.escape(new StringBuilder("x\ry"))).isEqualTo("x\\ry");
    assertThat(LogText.escape(42)).isEqualTo("42");
  }
}
