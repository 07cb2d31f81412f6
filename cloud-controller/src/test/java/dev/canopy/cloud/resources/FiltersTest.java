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

  @Test
  void aBackslashEscapesTheWildcardsAsEc2Documents() {
    // EC2: "a value of \*amazon\?\\ searches for the literal string *amazon?\".
    assertThat(Filters.wildcard("\\*amazon\\?\\\\", "*amazon?\\")).isTrue();
    assertThat(Filters.wildcard("\\*amazon\\?\\\\", "my-amazon!\\")).isFalse();
    assertThat(Filters.wildcard("web\\*", "web*")).isTrue();
    assertThat(Filters.wildcard("web\\*", "web-1")).isFalse();
    assertThat(Filters.wildcard("what\\?", "what?")).isTrue();
    assertThat(Filters.wildcard("what\\?", "whats")).isFalse();
    // An escaped star after a real one still matches only a literal star.
    assertThat(Filters.wildcard("*\\*", "a*")).isTrue();
    assertThat(Filters.wildcard("*\\*", "ab")).isFalse();
    assertThat(Filters.wildcard("a*\\*b", "axx*b")).isTrue();
  }

  @Test
  void wildcardEdgeCases() {
    assertThat(Filters.wildcard("", "")).isTrue();
    assertThat(Filters.wildcard("", "x")).isFalse();
    assertThat(Filters.wildcard("?", "")).isFalse();
    assertThat(Filters.wildcard("**", "anything")).isTrue();
    assertThat(Filters.wildcard("*a", "bbbba")).isTrue();
    assertThat(Filters.wildcard("*a", "abbbb")).isFalse();
    assertThat(Filters.wildcard("Web", "web")).as("EC2 filter values are case sensitive").isFalse();
    // A lone trailing backslash is a literal backslash.
    assertThat(Filters.wildcard("c:\\", "c:\\")).isTrue();
  }

  @Test
  void aResourceWithNoValueForAFilterDoesNotMatchIt() {
    List<Filter> tagged = List.of(new Filter("tag:Name", List.of("*")));
    assertThat(Filters.matchAll(tagged, name -> List.of())).isFalse();
  }

  @Test
  void anUnsupportedNameIsRefusedEvenAfterAFilterThatFailed() {
    List<Filter> filters = List.of(new Filter("state", List.of("gone")), new Filter("colour", List.of("blue")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Filters.matchAll(filters, name -> {
      if (!name.equals("state")) {
        throw new IllegalArgumentException("unsupported " + name);
      }
      return List.of("available");
    })).hasMessage("unsupported colour");
  }

  @Test
  void requireKnownAcceptsTagFiltersAndTheGivenNamesOnly() {
    Filters.requireKnown(List.of(new Filter("tag:Name", List.of("x")), new Filter("state", List.of("y"))), java.util.Set.of("state"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Filters.requireKnown(List.of(new Filter("colour", List.of("x"))), java.util.Set.of("state")))
        .isInstanceOfSatisfying(dev.canopy.api.error.AwsException.class, e -> {
          assertThat(e.code()).isEqualTo("InvalidParameterValue");
          assertThat(e.getMessage()).isEqualTo("The filter 'colour' is invalid");
        });
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Filters.requireKnown(List.of(new Filter("tag:Name", List.of("x"))), java.util.Set.of("key")::contains))
        .as("an action without tag filters refuses them").isInstanceOf(dev.canopy.api.error.AwsException.class);
  }
}
