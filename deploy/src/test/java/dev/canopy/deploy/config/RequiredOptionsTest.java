package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RequiredOptionsTest {

  @Test
  void namesTheOptionsNotGivenInTheirOrder() {
    assertThat(RequiredOptions.missing("--cloud", null, "--data", Path.of("d"), "--id", null)).containsExactly("--cloud", "--id");
    assertThat(RequiredOptions.missing("--cloud", Path.of("c"))).isEmpty();
  }

  @Test
  void aNameWithoutItsValueIsAMistakeOfTheCaller() {
    assertThatThrownBy(() -> RequiredOptions.missing("--cloud")).isInstanceOf(IllegalArgumentException.class);
  }
}
