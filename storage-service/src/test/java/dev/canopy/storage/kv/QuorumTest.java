package dev.canopy.storage.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Quorum values as Riak clients send them, and what each asks for out of N replicas. */
class QuorumTest {

  @ParameterizedTest
  @CsvSource({
    "one, 1, 1", "one, 3, 1", "one, 5, 1",
    "quorum, 1, 1", "quorum, 2, 2", "quorum, 3, 2", "quorum, 4, 3", "quorum, 5, 3",
    "all, 1, 1", "all, 3, 3", "all, 5, 5",
    "0, 3, 0", "2, 3, 2", "3, 3, 3",
    "QUORUM, 3, 2", "' all ', 3, 3", "' 2 ', 3, 2"
  })
  void aValueAsksForItsShareOfTheReplicas(String text, int n, int replicas) {
    assertThat(Quorum.parse(text).resolve(n, null)).isEqualTo(replicas);
  }

  @Test
  void defaultStandsForTheBucketsOwnValue() {
    assertThat(Quorum.parse("default").resolve(3, Quorum.ALL)).isEqualTo(3);
    assertThat(Quorum.parse("default").resolve(5, Quorum.MAJORITY)).isEqualTo(3);
    assertThat(Quorum.parse("default").resolve(3, Quorum.of(1))).isEqualTo(1);
    // A bucket's own value is never "default": there would be nothing to fall back to.
    assertThatThrownBy(() -> Quorum.DEFAULT.resolve(3, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quorum.DEFAULT.resolve(3, Quorum.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCountAboveNIsTheClientsMistakeNamingBoth() {
    assertThatThrownBy(() -> Quorum.parse("4").resolve(3, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("4").hasMessageContaining("n_val of 3");
    // Through default too: a bucket asking w=3 read with n_val 2 is refused, not silently weakened.
    assertThatThrownBy(() -> Quorum.DEFAULT.resolve(2, Quorum.of(3))).isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "two", "-1", "1.5", "0x2", "quorum!", "99999999999"})
  void anythingElseIsABadRequest(String text) {
    assertThatThrownBy(() -> Quorum.parse(text)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void nullIsABadRequestNotACrash() {
    assertThatThrownBy(() -> Quorum.parse(null)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void itPrintsAsRiakDoesAndParsesBackToItself() {
    for (Quorum q : new Quorum[] {Quorum.ONE, Quorum.MAJORITY, Quorum.ALL, Quorum.DEFAULT, Quorum.of(0), Quorum.of(4)}) {
      assertThat(Quorum.parse(q.toString())).isEqualTo(q);
    }
    assertThat(Quorum.MAJORITY).hasToString("quorum");
    assertThat(Quorum.of(2)).hasToString("2");
  }

  @Test
  void aNegativeCountCannotBeMade() {
    assertThatThrownBy(() -> Quorum.of(-1)).isInstanceOf(InvalidRequestException.class);
  }
}
