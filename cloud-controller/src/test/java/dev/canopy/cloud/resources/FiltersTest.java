package dev.canopy.cloud.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.query.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {

  @Test
  void wildcardsMatchAsEc2Documents() {
    assertThat(Filters.wildcard("canopy-*", "canopy-1a")).isTrue();
    assertThat(Filters.wildcard("canopy-?a", "canopy-1a")).isTrue();
    assertThat(Filters.wildcard("*1a", "canopy-1a")).isTrue();
    assertThat(Filters.wildcard("*", "")).isTrue();
    assertThat(Filters.wildcard("canopy-?", "canopy-1a")).isFalse();
    assertThat(Filters.wildcard("canopy", "canopy-1a")).isFalse();
    assertThat(Filters.wildcard("a*b*c", "axxbyyc")).isTrue();
    assertThat(Filters.wildcard("a*b*c", "axxbyy")).isFalse();
  }

  @Test
  void filtersAreAndedAndTheirValuesOred() {
    List<Filter> filters = List.of(new Filter("zone-name", List.of("x", "canopy-1a")), new Filter("state", List.of("available")));
    assertThat(Filters.matchAll(filters, name -> name.equals("zone-name") ? List.of("canopy-1a") : List.of("available"))).isTrue();
    assertThat(Filters.matchAll(filters, name -> name.equals("zone-name") ? List.of("canopy-1b") : List.of("available"))).isFalse();
    assertThat(Filters.matchAll(List.of(), name -> List.of())).isTrue();
  }
}
