package dev.canopy.cloud.metering.series;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interning table: each {@link SeriesKey} gets a compact int id, 0, 1, 2… in the order keys are
 * first seen, so a block names its series in a byte or three instead of an instance id, a MAC and a
 * metric. Ids are never reused or reassigned; the table is saved whole with {@link #encode} and read
 * back with {@link #decode}, which gives every key its same id. Not thread-safe: one aggregator owns it.
 *
 * <p>Encoded form: version byte {@value #VERSION}, varint count, then per id in order: varint length +
 * UTF-8 instance id, varint length + UTF-8 vNIC (length 0: a per-instance series), metric code byte;
 * a CRC-32C trailer.
 */
public final class SeriesIds {

  public static final int VERSION = 1;
  /**
   * Series one controller keeps: 20,000 hosts × 20 instances × 8 vNICs × 4 traffic metrics is 12.8
   * million; twice that leaves room for CPU series and churn until ids are compacted.
   */
  public static final int SERIES_MAX = 1 << 25;

  private final Map<SeriesKey, Integer> ids = new HashMap<>();
  private final List<SeriesKey> keys = new ArrayList<>();

  /** The key's id, assigning the next one on first sight. */
  public int intern(SeriesKey key) {
    Integer id = ids.get(key);
    if (id != null) {
      return id;
    }
    if (keys.size() >= SERIES_MAX) {
      throw new IllegalStateException("more than " + SERIES_MAX + " series: the table is full");
    }
    int next = keys.size();
    ids.put(key, next);
    keys.add(key);
    return next;
  }

  /** @throws IllegalArgumentException for an id this table never gave */
  public SeriesKey key(int id) {
    if (id < 0 || id >= keys.size()) {
      throw new IllegalArgumentException("no series has id " + id);
    }
    return keys.get(id);
  }

  public int size() {
    return keys.size();
  }

  public byte[] encode() {
    ByteSink out = new ByteSink(16 + keys.size() * 32);
    out.writeByte(VERSION);
    out.writeVarint(keys.size());
    for (SeriesKey key : keys) {
      writeString(out, key.instanceId());
      writeString(out, key.nic() == null ? "" : key.nic());
      out.writeByte(key.metric().code());
    }
    out.writeCrc();
    return out.toArray();
  }

  /** @throws CorruptSeriesException when the bytes are not an intact table of a known version */
  public static SeriesIds decode(byte[] encoded) {
    ByteSource in = ByteSource.checked(encoded, "series table");
    in.expectVersion(VERSION, "series table");
    // Every entry takes at least 4 bytes: a count larger than the bytes allow is corrupt, not a reason to allocate.
    int count = in.readCount(0, Math.min(SERIES_MAX, in.remaining() / 4), "series count");
    SeriesIds table = new SeriesIds();
    for (int i = 0; i < count; i++) {
      String instanceId = readString(in, 1);
      String nic = readString(in, 0);
      Metric metric = Metric.ofCode(in.readByte());
      SeriesKey key;
      try {
        key = new SeriesKey(instanceId, nic.isEmpty() ? null : nic, metric);
      } catch (IllegalArgumentException e) {
        throw new CorruptSeriesException("series " + i + " is not a valid key: " + e.getMessage(), e);
      }
      if (table.intern(key) != i) {
        throw new CorruptSeriesException("series " + i + " repeats an earlier key");
      }
    }
    in.expectEnd("series table");
    return table;
  }

  private static void writeString(ByteSink out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeVarint(utf8.length);
    out.writeBytes(utf8, 0, utf8.length);
  }

  private static String readString(ByteSource in, int lengthMin) {
    // UTF-8 takes at most 4 bytes a character.
    int length = in.readCount(lengthMin, SeriesKey.NAME_LENGTH_MAX * 4, "name length");
    int at = in.position();
    in.skip(length);
    return new String(in.bytes(), at, length, StandardCharsets.UTF_8);
  }
}
