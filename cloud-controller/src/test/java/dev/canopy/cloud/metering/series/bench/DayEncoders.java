package dev.canopy.cloud.metering.series.bench;

import dev.canopy.cloud.metering.series.BlockPolicy;
import dev.canopy.cloud.metering.series.SealedBlock;
import dev.canopy.cloud.metering.series.SeriesAppender;
import java.util.function.Consumer;

/** One day of one series through each codec, in blocks of an hour, the same way for both. */
final class DayEncoders {

  private DayEncoders() {}

  /** Appends every point to an open block, sealing hourly; returns the bytes stored. */
  static long canopy(long[] seconds, long[] values, Consumer<SealedBlock> sealed) {
    long[] stored = {0};
    SeriesAppender appender = new SeriesAppender(1, BlockPolicy.HOURLY_TEN_SECOND, block -> {
      stored[0] += block.bytes().length;
      sealed.accept(block);
    });
    for (int i = 0; i < seconds.length; i++) {
      appender.offer(seconds[i], values[i]);
    }
    appender.flush();
    return stored[0];
  }

  /** Gorilla blocks of the same hour; returns the bytes stored. */
  static long gorilla(long[] seconds, long[] values, Consumer<byte[]> sealed) {
    int perBlock = BlockPolicy.HOURLY_TEN_SECOND.pointsMax();
    long stored = 0;
    for (int from = 0; from < seconds.length; from += perBlock) {
      byte[] block = GorillaCodec.encode(seconds, values, from, Math.min(perBlock, seconds.length - from));
      stored += block.length;
      sealed.accept(block);
    }
    return stored;
  }
}
