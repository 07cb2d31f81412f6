package dev.canopy.cloud.metering.series.bench;

import dev.canopy.cloud.metering.series.BlockCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stored bytes per sample for each trace, Canopy's codec beside the Gorilla peer (exact figures, so a
 * plain run rather than JMH): {@code JMH_MODULE=cloud-controller bench/jmh.sh} prints it after the run.
 */
public final class StoredBytesReport {

  private static final long[] SEEDS = {42, 43, 44};

  private StoredBytesReport() {}

  public static void main(String[] args) {
    System.out.println("trace  codec    B/sample  blocks-zstd  (one day of 10-s points, hourly blocks, seeds 42..44)");
    for (VnicTrace trace : VnicTrace.values()) {
      long canopy = 0;
      long gorilla = 0;
      long points = 0;
      int zstd = 0;
      int blocks = 0;
      for (long seed : SEEDS) {
        long[] seconds = trace.seconds();
        long[] values = trace.values(seed);
        List<byte[]> sealed = new ArrayList<>();
        canopy += DayEncoders.canopy(seconds, values, b -> sealed.add(b.bytes()));
        gorilla += DayEncoders.gorilla(seconds, values, b -> { });
        points += seconds.length;
        blocks += sealed.size();
        zstd += (int) sealed.stream().filter(b -> (b[1] & 1) != 0).count();
        sealed.forEach(BlockCodec::decode); // every block reads back, or this report fails
      }
      System.out.printf(Locale.ROOT, "%-6s canopy   %8.3f  %d/%d%n", trace, (double) canopy / points, zstd, blocks);
      System.out.printf(Locale.ROOT, "%-6s gorilla  %8.3f%n", trace, (double) gorilla / points);
    }
  }
}
