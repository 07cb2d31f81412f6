package dev.canopy.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void crAndLfCannotStartANewLine() {
    String forged = "photo.jpg\r\n2025-01-01 12:00:00 INFO  admin logged in";
    String escaped = LogText.escape(forged);
    assertThat(escaped).doesNotContain("\r").doesNotContain("\n")
        .isEqualTo("photo.jpg\\r\\n2025-01-01 12:00:00 INFO  admin logged in");
    assertThat(escaped.lines()).hasSize(1);
  }

  @Test
  void otherControlCharactersAndUnicodeLineSeparatorsAreEscaped() {
    assertThat(LogText.escape("a\u0000b\u001bc\u0085d\u2028e\tf\u007f")).isEqualTo("a\\u0000b\\u001bc\\u0085d\\u2028e\\tf\\u007f");
  }

  @Test
  void aBackslashIsEscapedSoAnEscapeCannotBeFaked() {
    assertThat(LogText.escape("a\\nb")).isEqualTo("a\\\\nb");
  }

  @Test
  void plainValuesAreUnchangedAndNullIsNamed() {
    assertThat(LogText.escape("bucket/key-1 é")).isEqualTo("bucket/key-1 é");
    assertThat(LogText.escape(null)).isEqualTo("null");
  }

  @Test
  void longValuesAreCut() {
    String escaped = LogText.escape("x".repeat(LogText.CHARS_MAX + 100));
    assertThat(escaped).startsWith("x".repeat(LogText.CHARS_MAX)).endsWith("...(100 more chars)");
  }
}
