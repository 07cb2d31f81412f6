package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

  @Test
  void decodesFormStyle() {
    QueryParams q = QueryParams.parse("prefix=a+b%2Bc%E2%82%AC&delimiter=%2F&acl");
    assertThat(q.asMap()).containsExactly(Map.entry("prefix", "a b+c€"), Map.entry("delimiter", "/"), Map.entry("acl", ""));
  }

  @Test
  void firstOccurrenceWinsAndEmptyPiecesAreSkipped() {
    assertThat(QueryParams.parse("&a=1&&a=2&b=&").asMap()).containsExactly(Map.entry("a", "1"), Map.entry("b", ""));
    assertThat(QueryParams.parse(null).asMap()).isEmpty();
    assertThat(QueryParams.parse("").asMap()).isEmpty();
  }

  @Test
  void badEscapesAreInvalidUri() {
    for (String raw : new String[] {"prefix=%zz", "prefix=%4", "%=x"}) {
      assertThatThrownBy(() -> QueryParams.parse(raw)).as(raw)
          .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidURI"));
    }
  }
}
