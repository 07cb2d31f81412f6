package dev.canopy.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeyedMemoTest {

  /** Counts its calls; makes a new object every time, so identity shows reuse. */
  private static final class CountingDecoder implements Function<String, StringBuilder> {
    final List<String> decoded = new ArrayList<>();

    @Override
    public StringBuilder apply(String text) {
      decoded.add(text);
      return new StringBuilder(text);
    }
  }

  @Test
  void anUnchangedInputIsComputedOnceAndTheSameResultIsReturned() {
    KeyedMemo<String, StringBuilder> memo = KeyedMemo.ofSize(16);
    CountingDecoder decoder = new CountingDecoder();

    StringBuilder first = memo.apply("i-1", "{\"state\":\"running\"}", decoder);
    // A new String with the same characters: the grid hands out a fresh copy on every read.
    StringBuilder second = memo.apply("i-1", new String("{\"state\":\"running\"}"), decoder);

    assertThat(second).isSameAs(first);
    assertThat(decoder.decoded).hasSize(1);
  }

  @Test
  void aChangedInputIsComputedAgain() {
    KeyedMemo<String, StringBuilder> memo = KeyedMemo.ofSize(16);
    CountingDecoder decoder = new CountingDecoder();

    memo.apply("i-1", "{\"state\":\"running\"}", decoder);
    StringBuilder changed = memo.apply("i-1", "{\"state\":\"stopped\"}", decoder);

    assertThat(changed.toString()).isEqualTo("{\"state\":\"stopped\"}");
    assertThat(decoder.decoded).containsExactly("{\"state\":\"running\"}", "{\"state\":\"stopped\"}");
  }

  @Test
  void twoKeysWithEqualInputsInOneSlotNeverShareAResult() {
    // One slot: every key collides, so only the key check keeps i-2 from getting i-1's record.
    KeyedMemo<String, StringBuilder> memo = KeyedMemo.ofSize(1);
    CountingDecoder decoder = new CountingDecoder();

    StringBuilder one = memo.apply("i-1", "{}", decoder);
    StringBuilder two = memo.apply("i-2", "{}", decoder);
    StringBuilder oneAgain = memo.apply("i-1", "{}", decoder);

    assertThat(two).isNotSameAs(one);
    assertThat(oneAgain).isNotSameAs(one).isNotSameAs(two);
    assertThat(decoder.decoded).hasSize(3);
  }

  @Test
  void noneComputesEveryCall() {
    KeyedMemo<String, StringBuilder> memo = KeyedMemo.none();
    CountingDecoder decoder = new CountingDecoder();

    memo.apply("i-1", "{}", decoder);
    memo.apply("i-1", "{}", decoder);

    assertThat(decoder.decoded).hasSize(2);
    assertThat(memo.slots()).isZero();
  }

  @Test
  void theSizeIsRoundedUpToAPowerOfTwoAndBounded() {
    assertThat(KeyedMemo.ofSize(1).slots()).isEqualTo(1);
    assertThat(KeyedMemo.ofSize(5).slots()).isEqualTo(8);
    assertThat(KeyedMemo.ofSize(8192).slots()).isEqualTo(8192);
    assertThatThrownBy(() -> KeyedMemo.ofSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyedMemo.ofSize((1 << 20) + 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
