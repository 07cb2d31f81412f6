package dev.canopy.cloud.metering.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockCodecSizeTest {

  /** version, flags, series id, start, step, count, the value, the CRC. */
  private static final int IDLE_HEADER_BYTES_MAX = 1 + 1 + 3 + 4 + 1 + 2 + 1 + 4;

  @ParameterizedTest(name = "{0} points")
  @ValueSource(ints = {2, 360, 8_640})
  void anIdleRegularBlockIsItsHeaderOnlyWhateverItsLength(int count) {
    SeriesPoints idle = new SeriesPoints(
        LongStream.range(0, count).map(i -> 1_700_000_000L + 10 * i).toArray(), new long[count]);

    byte[] encoded = BlockCodec.encode(70_000, idle);

    assertThat(encoded.length).isLessThanOrEqualTo(IDLE_HEADER_BYTES_MAX);
    assertThat(encoded[1] & (BlockCodec.FLAG_CONSTANT | BlockCodec.FLAG_REGULAR))
        .isEqualTo(BlockCodec.FLAG_CONSTANT | BlockCodec.FLAG_REGULAR);
  }

  @ParameterizedTest(name = "gap after point {0}")
  @ValueSource(ints = {1, 100, 359})
  void aGapCostsOneExceptionNotATimestampPerPoint(int gapAt) {
    long[] seconds = LongStream.range(0, 360).map(i -> 1_700_000_000L + 10 * i + (i >= gapAt ? 30 : 0)).toArray();
    long[] values = LongStream.range(0, 360).map(i -> 1_000 + i).toArray();
    long[] regular = LongStream.range(0, 360).map(i -> 1_700_000_000L + 10 * i).toArray();

    int gappy = BlockCodec.encode(1, new SeriesPoints(seconds, values)).length;
    int plain = BlockCodec.encode(1, new SeriesPoints(regular, values)).length;

    assertThat(gappy - plain).isBetween(1, 4);
  }
}
