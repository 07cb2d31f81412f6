package dev.canopy.cloud.operatorapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.consoleapi.ApiError;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceSearchTest {

  private static final Instance RUNNING = new Instance("i-0123456789abcdef0", "r-1", "111111111111", "ami-1", "t3.nano",
      InstanceState.RUNNING, null, "", null, List.of(), "canopy-1a", "nd-1", 1, "10.0.0.7", null, Instant.EPOCH, null, null, 0,
      null, null, null, false, null);

  private static InstanceSearch search(Map<String, String> query) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    query.forEach(params::add);
    return InstanceSearch.parse(params);
  }

  @Test
  void theSearchMatchesAnIdAPrivateIpOrANameTag() {
    assertThat(search(Map.of("q", "456789ab")).matches(RUNNING, i -> null)).isTrue();
    assertThat(search(Map.of("q", "10.0.0.7")).matches(RUNNING, i -> null)).isTrue();
    assertThat(search(Map.of("q", "web")).matches(RUNNING, i -> "Web server")).isTrue();
    assertThat(search(Map.of("q", "db")).matches(RUNNING, i -> "Web server")).isFalse();
  }

  @Test
  void filtersAreExact() {
    assertThat(search(Map.of("state", "running", "node", "nd-1", "type", "t3.nano", "account", "111111111111"))
        .matches(RUNNING, i -> null)).isTrue();
    assertThat(search(Map.of("state", "stopped")).matches(RUNNING, i -> null)).isFalse();
    assertThat(search(Map.of("account", "222222222222")).matches(RUNNING, i -> null)).isFalse();
  }

  @Test
  void theNameTagIsReadOnlyWhenTheSearchNeedsIt() {
    assertThat(search(Map.of("state", "running")).matches(RUNNING, i -> {
      throw new AssertionError("read the tags");
    })).isTrue();
  }

  @Test
  void pagesDefaultAndAreBounded() {
    InstanceSearch defaults = search(Map.of());
    assertThat(defaults.page()).isEqualTo(1);
    assertThat(defaults.pageSize()).isEqualTo(50);
    for (Map<String, String> bad : List.of(Map.of("pageSize", "0"), Map.of("pageSize", "201"), Map.of("page", "x"),
        Map.of("state", "<script>"), Map.of("q", "a\u0000b"))) {
      assertThatThrownBy(() -> search(bad)).as(bad.toString()).isInstanceOfSatisfying(ApiError.class, e -> {
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).doesNotContain("<script>");
      });
    }
  }
}
