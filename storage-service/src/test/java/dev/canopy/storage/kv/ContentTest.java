package dev.canopy.storage.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a client hands the store and gets back: defaults filled in, nothing shared with the caller. */
class ContentTest {

  @Test
  void aBareValueGetsRiaksDefaultContentTypeAndNoMetadata() {
    Content c = new Content(null, null, null, null, null, 0, false);
    assertThat(c.value()).isEmpty();
    assertThat(c.contentType()).isEqualTo("application/octet-stream");
    assertThat(c.meta()).isEmpty();
    assertThat(c.links()).isEmpty();
    assertThat(c.vtag()).isEmpty();
  }

  @Test
  void metadataAndLinksAreCopiedSoTheCallerCannotChangeWhatWasStored() {
    Map<String, String> meta = new HashMap<>(Map.of("colour", "green"));
    List<Link> links = new ArrayList<>(List.of(new Link("b", "k", "parent")));
    Content c = new Content("x".getBytes(), "text/plain", meta, links, "v1", 5, false);
    meta.put("colour", "red");
    links.clear();
    assertThat(c.meta()).containsExactly(Map.entry("colour", "green"));
    assertThat(c.links()).containsExactly(new Link("b", "k", "parent"));
    assertThatThrownBy(() -> c.meta().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aResultWithoutLiveValuesIsMissingAndSeveralAreSiblings() {
    assertThat(new FetchResult(List.of(), null).found()).isFalse();
    assertThat(new FetchResult(List.of(), null).context()).isEmpty();
    Content a = Content.of("a".getBytes(), "text/plain");
    Content b = Content.of("b".getBytes(), "text/plain");
    assertThat(new FetchResult(List.of(a), new byte[] {1}).hasSiblings()).isFalse();
    assertThat(new FetchResult(List.of(a, b), new byte[] {1}).hasSiblings()).isTrue();
  }
}
