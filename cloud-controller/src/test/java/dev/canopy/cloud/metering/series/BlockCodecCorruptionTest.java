package dev.canopy.cloud.metering.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BlockCodecCorruptionTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(RandomSeries.class)
  void everyTruncationIsRefused(RandomSeries shape) {
    byte[] encoded = BlockCodec.encode(5, shape.make(11));
    for (int length = 0; length < encoded.length; length += Math.max(1, encoded.length / 200)) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> BlockCodec.decode(truncated)).isInstanceOf(CorruptSeriesException.class);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void anAlteredByteIsRefused(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] encoded = BlockCodec.encode(5, RandomSeries.GAPPY.make(seed));
    for (int trial = 0; trial < 200; trial++) {
      byte[] altered = encoded.clone();
      altered[random.nextInt(altered.length)] ^= (byte) (1 + random.nextInt(255));
      assertThatThrownBy(() -> BlockCodec.decode(altered)).isInstanceOf(CorruptSeriesException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RandomSeries.class)
  void alteredBytesUnderAValidChecksumGiveACorruptSeriesExceptionOrPointsNeverAnotherFailure(RandomSeries shape) {
    fuzz(BlockCodec.encode(5, shape.make(17)), shape.ordinal());
  }

  @Test
  void anAlteredZstdBodyUnderAValidChecksumFailsCleanly() {
    long[] seconds = LongStream.range(0, 720).map(i -> 1_700_000_000L + 10 * i).toArray();
    byte[] encoded = BlockCodec.encode(5, new SeriesPoints(seconds, LongStream.range(0, 720).map(i -> (i % 4) * 1_000_003L).toArray()));
    assertThat(encoded[1] & BlockCodec.FLAG_ZSTD).isEqualTo(BlockCodec.FLAG_ZSTD);

    fuzz(encoded, 99);
  }

  /**
   * What the checksum cannot catch (a writer's bug, a forged block) must still fail cleanly: a
   * {@link CorruptSeriesException} or some points, never an index error, a huge allocation or a zstd crash.
   */
  private static void fuzz(byte[] encoded, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int trial = 0; trial < 300; trial++) {
      byte[] altered = encoded.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        altered[random.nextInt(altered.length - 4)] = (byte) random.nextInt(256);
      }
      try {
        BlockCodec.decode(withCrc(altered));
      } catch (CorruptSeriesException refused) {
        // the clean failure
      }
    }
  }

  @Test
  void anUnknownVersionIsRefusedByName() {
    byte[] encoded = BlockCodec.encode(5, RandomSeries.REGULAR.make(1));
    encoded[0] = 2;
    assertThatThrownBy(() -> BlockCodec.decode(withCrc(encoded)))
        .isInstanceOf(CorruptSeriesException.class).hasMessageContaining("version 2");
  }

  @Test
  void aHugeCountWithAValidChecksumIsRefusedBeforeAllocating() {
    // version, flags (regular + constant), id 0, start 0, step 10, count 2^31-1 (a varint), value 0.
    byte[] lying = {1, 6, 0, 0, 0, 0, 0, 10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> BlockCodec.decode(withCrc(lying)))
        .isInstanceOf(CorruptSeriesException.class).hasMessageContaining("point count");
  }

  @Test
  void nothingAtAllIsRefused() {
    assertThatThrownBy(() -> BlockCodec.decode(new byte[0])).isInstanceOf(CorruptSeriesException.class);
    assertThatThrownBy(() -> BlockCodec.decode(null)).isInstanceOf(CorruptSeriesException.class);
  }

  /** Replaces the last four bytes with the CRC-32C of the rest: corruption the checksum cannot see. */
  private static byte[] withCrc(byte[] block) {
    CRC32C crc = new CRC32C();
    crc.update(block, 0, block.length - 4);
    long value = crc.getValue();
    for (int i = 0; i < 4; i++) {
      block[block.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
    }
    return block;
  }
}
