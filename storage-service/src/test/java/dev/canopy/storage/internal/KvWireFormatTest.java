package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Path segments and listings: what both ends of the internal KV API agree on. */
class KvWireFormatTest {

  @Test
  void segmentsRoundTripAnyKeyAndDecodingIsStrict() {
    for (String key : new String[] {"i-0123", "a/b", "with space", "plus+sign", "ü€𝄞", "%41", "~._-"}) {
      String encoded = KvPaths.encode(key);
      assertThat(encoded).doesNotContain("/").doesNotContain(" ").doesNotContain("+");
      assertThat(KvPaths.decode(encoded)).isEqualTo(key);
    }
    assertThat(KvPaths.decode("a+b")).as("+ is a plus in a path").isEqualTo("a+b");
    assertThatThrownBy(() -> KvPaths.decode("a%4")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvPaths.decode("%C3%28")).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> KvPaths.decode("ü")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvPaths.recordPath("ns", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvPaths.recordPath("", "k")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvPaths.recordPath("ns", "k".repeat(1025))).isInstanceOf(IllegalArgumentException.class);
    assertThat(KvPaths.recordPath("access-keys", "AKIA/1")).isEqualTo("/v1/kv/access-keys/AKIA%2F1");
  }

  @Test
  void listingsRoundTripAndACutOffListingIsRefused() {
    Map<String, byte[]> records = new LinkedHashMap<>();
    records.put("a", "one".getBytes(StandardCharsets.UTF_8));
    records.put("ü/ß", new byte[0]);
    records.put("big", new byte[70_000]);
    byte[] encoded = KvRecords.encode(records);
    assertThat(encoded).hasSize((int) KvRecords.encodedSize(records));
    Map<String, byte[]> decoded = KvRecords.decode(encoded);
    assertThat(decoded.keySet()).containsExactly("a", "ü/ß", "big");
    assertThat(decoded.get("a")).isEqualTo(records.get("a"));
    assertThat(KvRecords.decode(KvRecords.encode(Map.of()))).isEmpty();

    for (int cut : new int[] {0, 3, 8, 12, encoded.length - 1}) {
      assertThatThrownBy(() -> KvRecords.decode(Arrays.copyOf(encoded, cut))).as("cut at " + cut).isInstanceOf(IllegalArgumentException.class);
    }
    byte[] trailing = Arrays.copyOf(encoded, encoded.length + 1);
    assertThatThrownBy(() -> KvRecords.decode(trailing)).hasMessageContaining("follow");
    byte[] hugeCount = encoded.clone();
    hugeCount[4] = 0x7F;
    assertThatThrownBy(() -> KvRecords.decode(hugeCount)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysOfABatchReadRoundTripWithinTheBoundAndTheAnswerIsCapped() {
    java.util.List<String> keys = java.util.List.of("i-0123/2026-12", "a/b c+ü", "𝄞");
    assertThat(KvKeys.decode(KvKeys.encode(keys))).containsExactlyElementsOf(keys);
    assertThat(KvKeys.decode(KvKeys.encode(java.util.List.of()))).isEmpty();
    java.util.List<String> tooMany = java.util.stream.IntStream.rangeClosed(0, KvKeys.KEYS_MAX).mapToObj(i -> "k" + i).toList();
    assertThatThrownBy(() -> KvKeys.encode(tooMany)).hasMessageContaining("limit of " + KvKeys.KEYS_MAX);
    assertThatThrownBy(() -> KvKeys.encode(java.util.List.of(""))).isInstanceOf(IllegalArgumentException.class);
    byte[] longest = KvKeys.encode(java.util.Collections.nCopies(KvKeys.KEYS_MAX, "k".repeat(KvPaths.KEY_BYTES_MAX)));
    assertThat(longest).as("the largest valid body is the server's body cap").hasSize(KvKeys.BODY_BYTES_MAX);

    Map<String, byte[]> fits = Map.of("a", new byte[KvKeys.ANSWER_BYTES_MAX - 100]);
    assertThat(KvRecords.decode(KvKeys.encodeAnswer(fits))).containsOnlyKeys("a");
    Map<String, byte[]> tooLarge = Map.of("a", new byte[KvKeys.ANSWER_BYTES_MAX / 2], "b", new byte[KvKeys.ANSWER_BYTES_MAX / 2]);
    assertThatThrownBy(() -> KvKeys.encodeAnswer(tooLarge)).isInstanceOf(KvKeys.AnswerTooLarge.class)
        .hasMessageContaining("ask for fewer keys");
  }
}
