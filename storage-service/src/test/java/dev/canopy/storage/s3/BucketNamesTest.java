package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"abc", "my-bucket", "my.bucket.2", "0leading-digit", "a23456789012345678901234567890123456789012345678901234567890123",
      "xn-abc", "abc-xn--def", "sthree", "abc-s3alias-x", "mrap.abc"})
  void valid(String name) {
    assertThat(BucketNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ab", "Upper", "under_score", "-lead", "trail-", "trail.", ".lead", "a..b", "a.-b", "a-.b",
      "192.168.1.1", "a234567890123456789012345678901234567890123456789012345678901234", "sp ace", "ünï",
      "xn--abc", "sthree-abc", "amzn-s3-demo-abc", "abc-s3alias", "abc--ol-s3", "abc.mrap", "abc--x-s3", "abc--table-s3"})
  void invalid(String name) {
    assertThat(BucketNames.isValid(name)).isFalse();
  }
}
