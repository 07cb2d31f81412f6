package dev.canopy.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UriEncodingTest {

  @Test
  void encodesAllButUnreserved() {
    assertThat(UriEncoding.encode("a b+c/~_.-é*")).isEqualTo("a%20b%2Bc%2F~_.-%C3%A9%2A");
    assertThat(UriEncoding.encodePath("dir/a b")).isEqualTo("dir/a%20b");
  }

  @Test
  void plusIsASpaceOnlyInForms() {
    assertThat(UriEncoding.decode("a+b%2B", true)).isEqualTo("a b+");
    assertThat(UriEncoding.decode("a+b%2B", false)).isEqualTo("a+b+");
  }

  @Test
  void rawNonAsciiKeepsItsUtf8AndALoneSurrogateDoesNotSwallowItsNeighbour() {
    assertThat(UriEncoding.decode("caf\u00e9/\uD83D\uDE00", false)).isEqualTo("caf\u00e9/\uD83D\uDE00");
    assertThat(UriEncoding.decode("\uD800%41", false)).endsWith("A");
  }

  @Test
  void brokenEscapesAreRefused() {
    assertThatThrownBy(() -> UriEncoding.decode("%4", false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UriEncoding.decode("%zz", false)).isInstanceOf(IllegalArgumentException.class);
    // Full-width and Arabic-Indic digits are digits to Character.digit, not hex digits of an escape.
    assertThatThrownBy(() -> UriEncoding.decode("%\uFF14\uFF11", false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UriEncoding.decode("%\u0664\u0661", true)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void splitsQueries() {
    assertThat(UriEncoding.splitRaw("a=1&&b&c=&=d&e=f=g"))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", ""), Map.entry("c", ""), Map.entry("", "d"), Map.entry("e", "f=g"));
    assertThat(UriEncoding.splitRaw("")).isEqualTo(List.of());
  }
}
