package dev.canopy.storage.kv.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.Link;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records are written into an array sized up front: the size must count every field exactly,
 * strings in modified UTF-8 included (a NUL and characters past U+07FF take more bytes than one
 * per char), or encoding fails.
 */
class CausalObjectCodecTest {

  @Test
  void anObjectWithSiblingsMetadataAndLinksRoundTrips() {
    Content first = new Content("chunk bytes".getBytes(StandardCharsets.UTF_8), "application/json",
        Map.of("x-meta", "ascii", "x-ünïcode", "naïve €uro \u0000 nul 𝄞"),
        List.of(new Link("bücket", "kéy/€", "tag")), "vtag-1", 1_700_000_000_000L, false);
    Content second = new Content(new byte[0], "text/plain", Map.of(), List.of(), "", 0, true);
    CausalObject object = CausalObject.EMPTY
        .update(VersionVector.EMPTY, new Dot(7, 1), first)
        .update(VersionVector.EMPTY, new Dot(9, 1), second);

    byte[] record = CausalObjectCodec.encode(object);

    assertThat(object.siblings()).hasSize(2);
    assertThat(record).hasSize(CausalObjectCodec.encodedSize(object));
    assertThat(CausalObjectCodec.decode(record)).isEqualTo(object);
  }

  @Test
  void aChunkSizedValueIsWrittenOnceIntoItsRecord() {
    byte[] chunk = new byte[1024 * 1024];
    chunk[0] = 1;
    chunk[chunk.length - 1] = 2;
    CausalObject object = CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(1, 1),
        Content.of(chunk, "application/json"));

    byte[] record = CausalObjectCodec.encode(object);

    assertThat(record.length).isLessThan(chunk.length + 128);
    assertThat(CausalObjectCodec.decode(record).siblings().get(0).content().value()).isEqualTo(chunk);
  }

  @Test
  void theEmptyObjectEncodes() {
    assertThat(CausalObjectCodec.decode(CausalObjectCodec.encode(CausalObject.EMPTY))).isEqualTo(CausalObject.EMPTY);
  }
}
