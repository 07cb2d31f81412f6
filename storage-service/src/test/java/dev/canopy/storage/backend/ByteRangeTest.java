package dev.canopy.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.ByteRange.Partial;
import dev.canopy.storage.backend.ByteRange.Unsatisfiable;
import dev.canopy.storage.backend.ByteRange.Whole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

  @ParameterizedTest
  @CsvSource({
    "bytes=0-9, 100, 0, 9",
    "bytes=10-, 100, 10, 99",
    "bytes=-10, 100, 90, 99",
    "bytes=-1000, 100, 0, 99",
    "bytes=90-1000, 100, 90, 99",
    "bytes=99-99, 100, 99, 99",
    "BYTES=5-6, 100, 5, 6",
  })
  void partial(String header, long size, long first, long last) {
    assertThat(ByteRange.resolve(header, size)).isEqualTo(new Partial(new ByteRange(first, last)));
  }

  @ParameterizedTest
  @CsvSource({"bytes=100-, 100", "bytes=100-200, 100", "bytes=-0, 100", "bytes=0-, 0", "bytes=-5, 0"})
  void unsatisfiable(String header, long size) {
    assertThat(ByteRange.resolve(header, size)).isInstanceOf(Unsatisfiable.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"bytes=0-1,5-6|100", "bytes=9-3|100", "items=0-1|100", "bytes=a-b|100", "bytes=|100", "bytes=--1|100"})
  void ignoredAsWhole(String header, long size) {
    assertThat(ByteRange.resolve(header, size)).isInstanceOf(Whole.class);
  }

  @org.junit.jupiter.api.Test
  void absentHeaderIsWhole() {
    assertThat(ByteRange.resolve(null, 5)).isInstanceOf(Whole.class);
  }
}
