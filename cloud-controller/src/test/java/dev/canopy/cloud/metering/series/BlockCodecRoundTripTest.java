package dev.canopy.cloud.metering.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlockCodecRoundTripTest {

  static Stream<Arguments> shapesAndSeeds() {
    return Stream.of(RandomSeries.values())
        .flatMap(shape -> LongStream.range(1, 6).mapToObj(seed -> Arguments.of(shape, seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("shapesAndSeeds")
  void decodeGivesBackExactlyThePoints(RandomSeries shape, long seed) {
    SeriesPoints points = shape.make(seed);
    int seriesId = (int) (seed * 7919);

    BlockCodec.Block block = BlockCodec.decode(BlockCodec.encode(seriesId, points));

    assertThat(block.seriesId()).isEqualTo(seriesId);
    assertThat(block.points()).isEqualTo(points);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void compressibleBodiesAreZstdAndStillExact(long seed) {
    // A repeating pattern: zstd pays, so the flag is set and the round trip goes through it.
    long[] seconds = LongStream.range(0, 720).map(i -> 1_700_000_000L + 10 * i).toArray();
    long[] values = LongStream.range(0, 720).map(i -> (i % 4) * 1_000_003L * seed).toArray();
    SeriesPoints points = new SeriesPoints(seconds, values);

    byte[] encoded = BlockCodec.encode(3, points);

    assertThat(encoded[1] & BlockCodec.FLAG_ZSTD).isEqualTo(BlockCodec.FLAG_ZSTD);
    assertThat(BlockCodec.decode(encoded).points()).isEqualTo(points);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void jitterAroundALineRateIsPackedAndStillExact(long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    long[] seconds = LongStream.range(0, 360).map(i -> 1_700_000_000L + 10 * i).toArray();
    long[] values = LongStream.range(0, 360).map(i -> 1_250_000_000L + random.nextLong(-6_250_000, 6_250_001)).toArray();
    SeriesPoints points = new SeriesPoints(seconds, values);

    byte[] encoded = BlockCodec.encode(3, points);

    assertThat(encoded[1] & BlockCodec.FLAG_PACKED).isEqualTo(BlockCodec.FLAG_PACKED);
    assertThat(BlockCodec.decode(encoded).points()).isEqualTo(points);
    // 24 bits a point (12.5 million possible values) plus a header: the floor, about 3 bytes.
    assertThat(encoded.length).isLessThan(360 * 3 + 32);
  }

  static LongStream seeds() {
    return LongStream.range(1, 4);
  }
}
