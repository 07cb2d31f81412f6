package dev.canopy.cloud.hostmetrics;

import dev.canopy.cloud.metering.series.BlockCodec;
import dev.canopy.cloud.metering.series.CorruptSeriesException;
import dev.canopy.cloud.metering.series.SeriesPoints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's series over one UTC hour as one controller received them: per series name, the points
 * by second. Mutable, owned by one thread at a time (the store's per-node lock). Stored as
 *
 * <pre>
 * byte    version {@value #VERSION}
 * int     series count
 * per series: UTF name, int length, a {@link BlockCodec} block (its series id: the series' index here)
 * </pre>
 *
 * each block carrying its own CRC-32C.
 */
final class HostHour {

  static final int VERSION = 1;
  static final long SECONDS = 3_600;

  private final long hourStart;
  private final Map<String, TreeMap<Long, Long>> series = new TreeMap<>();

  HostHour(long hourStart) {
    this.hourStart = hourStart;
  }

  static long hourOf(long second) {
    return Math.floorDiv(second, SECONDS) * SECONDS;
  }

  long hourStart() {
    return hourStart;
  }

  Map<String, TreeMap<Long, Long>> series() {
    return series;
  }

  int seriesCount() {
    return series.size();
  }

  /** Adds a point; a second the series already holds keeps its first value (a resend adds nothing). */
  boolean add(String name, long second, long value) {
    return series.computeIfAbsent(name, n -> new TreeMap<>()).putIfAbsent(second, value) == null;
  }

  /** Merges another writer's record of the same hour (first value wins for a second both hold). */
  void addAll(HostHour other) {
    other.series.forEach((name, points) -> points.forEach((second, value) -> add(name, second, value)));
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(series.size());
      int id = 0;
      for (var entry : series.entrySet()) {
        long[] seconds = entry.getValue().keySet().stream().mapToLong(Long::longValue).toArray();
        long[] values = entry.getValue().values().stream().mapToLong(Long::longValue).toArray();
        byte[] block = BlockCodec.encode(id++, new SeriesPoints(seconds, values));
        out.writeUTF(entry.getKey());
        out.writeInt(block.length);
        out.write(block);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /** @throws CorruptSeriesException when the bytes are not a record of this version */
  static HostHour decode(long hourStart, byte[] encoded) {
    HostHour hour = new HostHour(hourStart);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new CorruptSeriesException("host metrics record of version " + version);
      }
      int count = in.readInt();
      if (count < 0 || count > encoded.length) {
        throw new CorruptSeriesException("host metrics record with " + count + " series");
      }
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int length = in.readInt();
        if (length < 0 || length > encoded.length) {
          throw new CorruptSeriesException("host metrics block of " + length + " bytes");
        }
        SeriesPoints points = BlockCodec.decode(in.readNBytes(length)).points();
        for (int p = 0; p < points.size(); p++) {
          hour.add(name, points.second(p), points.value(p));
        }
      }
    } catch (IOException e) {
      throw new CorruptSeriesException("host metrics record cut short");
    }
    return hour;
  }
}
