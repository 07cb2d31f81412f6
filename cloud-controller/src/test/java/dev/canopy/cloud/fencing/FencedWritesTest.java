package dev.canopy.cloud.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The entry processors and the envelope on a plain entry: the rules without a grid. */
class FencedWritesTest {

  private static Map.Entry<String, String> entry(String stored) {
    return new SimpleEntry<>("k", stored);
  }

  @Test
  void anEnvelopeKeepsTheRecordAndItsEpoch() {
    String stored = FencedEnvelope.wrap(9, "{\"b\":1,\"a\":[2]}");
    assertThat(stored).isEqualTo("{\"epoch\":9,\"value\":{\"b\":1,\"a\":[2]}}");
    assertThat(FencedEnvelope.epochOf(stored)).isEqualTo(9);
    assertThat(FencedEnvelope.sameValue(stored, "{\"a\":[2],\"b\":1}")).isTrue();
    assertThat(FencedEnvelope.epochOf(FencedEnvelope.epochRecord(4))).isEqualTo(4);
    assertThatThrownBy(() -> FencedEnvelope.epochOf("{\"value\":1}")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FencedEnvelope.epochOf("{\"epoch\":-1}")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FencedEnvelope.epochOf("not json")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPutRefusesALowerEpochAndAcceptsAnEqualOne() {
    Map.Entry<String, String> e = entry(FencedEnvelope.wrap(5, "1"));
    assertThat(new FencedWrites.Put("2", 4).process(e)).isEqualTo(FencedWrites.Outcome.stale(5));
    assertThat(e.getValue()).isEqualTo(FencedEnvelope.wrap(5, "1"));
    assertThat(new FencedWrites.Put("3", 5).process(e)).isEqualTo(FencedWrites.Outcome.WRITTEN);
    assertThat(e.getValue()).isEqualTo(FencedEnvelope.wrap(5, "3"));
    assertThat(new FencedWrites.Put("4", 1).process(entry(null))).isEqualTo(FencedWrites.Outcome.WRITTEN);
  }

  @Test
  void replaceIsACompareAndSetBehindTheFence() {
    Map.Entry<String, String> e = entry(FencedEnvelope.wrap(5, "{\"n\":1}"));
    assertThat(new FencedWrites.Replace("{\"n\":1}", "{\"n\":2}", 4).process(e)).isEqualTo(FencedWrites.Outcome.stale(5));
    assertThat(new FencedWrites.Replace("{\"n\":9}", "{\"n\":2}", 6).process(e)).isEqualTo(FencedWrites.Outcome.MISMATCH);
    assertThat(new FencedWrites.Replace("{\"n\":1}", "{\"n\":2}", 6).process(e)).isEqualTo(FencedWrites.Outcome.WRITTEN);
    assertThat(e.getValue()).isEqualTo(FencedEnvelope.wrap(6, "{\"n\":2}"));
    assertThat(new FencedWrites.Replace("1", "2", 6).process(entry(null))).isEqualTo(FencedWrites.Outcome.MISMATCH);
  }

  @Test
  void putIfAbsentAndRemoveAreFencedToo() {
    Map.Entry<String, String> e = entry(FencedEnvelope.wrap(5, "1"));
    assertThat(new FencedWrites.PutIfAbsent("2", 4).process(e)).isEqualTo(FencedWrites.Outcome.stale(5));
    assertThat(new FencedWrites.PutIfAbsent("2", 5).process(e)).isEqualTo(FencedWrites.Outcome.MISMATCH);
    assertThat(new FencedWrites.Remove(4).process(e)).isEqualTo(FencedWrites.Outcome.stale(5));
    assertThat(e.getValue()).isNotNull();
    assertThat(new FencedWrites.Remove(5).process(e)).isEqualTo(FencedWrites.Outcome.WRITTEN);
    assertThat(e.getValue()).isNull();
    assertThat(new FencedWrites.Remove(1).process(e)).isEqualTo(FencedWrites.Outcome.WRITTEN);
  }

  @Test
  void aMintStartsAboveTheFloorAndNeverWraps() {
    assertThat(new EpochMint.Mint(0).process(entry(null))).isEqualTo(1);
    assertThat(new EpochMint.Mint(41).process(entry(FencedEnvelope.epochRecord(7)))).isEqualTo(42);
    assertThat(new EpochMint.Mint(3).process(entry(FencedEnvelope.epochRecord(7)))).isEqualTo(8);
    assertThatThrownBy(() -> new EpochMint.Mint(Long.MAX_VALUE).process(entry(null))).isInstanceOf(ArithmeticException.class);
  }
}
