package dev.canopy.cloud.metering;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.usage.AccountDay;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.usage.InstanceHour;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The binary forms of the large metering records, which JSON made slow to read and write (a
 * day's blocks went through base64, a ledger spent 137 bytes a row on repeated names). Version
 * {@value #VERSION}; strings are a varint length and UTF-8, numbers varints (zigzag where signed),
 * an optional string or instant is a presence byte first.
 *
 * <pre>
 * instance-day: version, instanceId, accountId?, day (epoch day), rollUpSeconds, series count,
 *               per series: nic?, metric name, hour count, per hour: start second, block length, block
 * instance-hour: version, instanceId, accountId?, hour start second, block count,
 *               per block: nic?, metric name, block length, block
 * ledger:       version, accountId, month ("yyyy-mm"), closedAt?, resource count, per resource
 *               (resourceId, type name, instanceType?), row count, per row in the ledger's order:
 *               resource index, hours since the month's start, quantity; adjustment count, per
 *               adjustment: resource index, hour start second, delta, recordedAt
 * account-day:  version, accountId, day (epoch day), resource count, per resource (as the ledger's),
 *               row count, per row in the ledger's order: resource index, hour of the day, quantity
 * </pre>
 *
 * An instant is its epoch second and nanosecond. Pure; decoding refuses a truncated or unknown record.
 */
final class MeteringRecords {

  static final int VERSION = 1;

  private MeteringRecords() {}

  static byte[] encode(InstanceDay day) {
    Sink out = new Sink(1024);
    out.varint(VERSION);
    out.string(day.instanceId());
    out.optionalString(day.accountId());
    out.zigzag(day.day().toEpochDay());
    out.varint(day.rollUpSeconds());
    out.varint(day.series().size());
    for (InstanceDay.Series s : day.series()) {
      out.series(s.nic(), s.metric());
      out.varint(s.hours().size());
      for (Map.Entry<Long, byte[]> hour : s.hours().entrySet()) {
        out.zigzag(hour.getKey());
        out.lengthPrefixed(hour.getValue());
      }
    }
    return out.toByteArray();
  }

  static InstanceDay decodeDay(byte[] bytes) {
    Source in = new Source(bytes);
    in.expectVersion();
    String instanceId = in.string();
    String accountId = in.optionalString();
    LocalDate day = LocalDate.ofEpochDay(in.zigzag());
    long rollUpSeconds = in.varint();
    if (rollUpSeconds > 86_400) {
      throw new CorruptRecord("a roll-up of " + rollUpSeconds + " s");
    }
    int seriesCount = in.count();
    List<InstanceDay.Series> series = new ArrayList<>(seriesCount);
    for (int i = 0; i < seriesCount; i++) {
      String nic = in.optionalString();
      Metric metric = Metric.valueOf(in.string());
      int hours = in.count();
      TreeMap<Long, byte[]> blocks = new TreeMap<>();
      for (int h = 0; h < hours; h++) {
        long start = in.zigzag();
        blocks.put(start, in.bytes(in.count()));
      }
      series.add(new InstanceDay.Series(nic, metric, blocks));
    }
    in.expectEnd();
    return new InstanceDay(instanceId, accountId, day, series, (int) rollUpSeconds);
  }

  static byte[] encode(InstanceHour hour) {
    int size = 64;
    for (InstanceHour.Block b : hour.blocks()) {
      size += 32 + b.bytes().length;
    }
    Sink out = new Sink(size);
    out.varint(VERSION);
    out.string(hour.instanceId());
    out.optionalString(hour.accountId());
    out.zigzag(hour.hourStart());
    out.varint(hour.blocks().size());
    for (InstanceHour.Block b : hour.blocks()) {
      out.series(b.nic(), b.metric());
      out.lengthPrefixed(b.bytes());
    }
    return out.toByteArray();
  }

  static InstanceHour decodeHour(byte[] bytes) {
    Source in = new Source(bytes);
    in.expectVersion();
    String instanceId = in.string();
    String accountId = in.optionalString();
    long hourStart = in.zigzag();
    if (Math.floorMod(hourStart, 3_600L) != 0) {
      throw new CorruptRecord("an hour starting at second " + hourStart);
    }
    int count = in.count();
    List<InstanceHour.Block> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String nic = in.optionalString();
      Metric metric = Metric.valueOf(in.string());
      blocks.add(new InstanceHour.Block(nic, metric, in.bytes(in.count())));
    }
    in.expectEnd();
    return new InstanceHour(instanceId, accountId, hourStart, blocks);
  }

  static byte[] encode(AccountMonth ledger) {
    Map<Resource, Integer> indexes = new HashMap<>();
    List<Resource> resources = new ArrayList<>();
    int[] rowResource = new int[ledger.rows().size()];
    int[] adjustmentResource = new int[ledger.adjustments().size()];
    for (int i = 0; i < rowResource.length; i++) {
      AccountMonth.Row r = ledger.rows().get(i);
      rowResource[i] = indexOf(new Resource(r.resourceId(), r.type(), r.instanceType()), indexes, resources);
    }
    for (int i = 0; i < adjustmentResource.length; i++) {
      AccountMonth.Adjustment a = ledger.adjustments().get(i);
      adjustmentResource[i] = indexOf(new Resource(a.resourceId(), a.type(), a.instanceType()), indexes, resources);
    }
    long monthStart = monthStart(ledger.month());
    Sink out = new Sink(64 + ledger.rows().size() * 8);
    out.varint(VERSION);
    out.string(ledger.accountId());
    out.string(ledger.month().toString());
    out.optionalInstant(ledger.closedAt());
    out.resources(resources);
    out.varint(rowResource.length);
    for (int i = 0; i < rowResource.length; i++) {
      AccountMonth.Row r = ledger.rows().get(i);
      long sinceMonthStart = r.hourStart().getEpochSecond() - monthStart;
      if (Math.floorMod(sinceMonthStart, 3_600L) != 0 || r.hourStart().getNano() != 0) {
        throw new IllegalArgumentException("a ledger row of " + r.hourStart() + ", not the start of an hour");
      }
      out.varint(rowResource[i]);
      out.zigzag(sinceMonthStart / 3_600L);
      out.varint(r.quantity());
    }
    out.varint(adjustmentResource.length);
    for (int i = 0; i < adjustmentResource.length; i++) {
      AccountMonth.Adjustment a = ledger.adjustments().get(i);
      out.varint(adjustmentResource[i]);
      out.zigzag(a.hourStart().getEpochSecond());
      out.zigzag(a.delta());
      out.optionalInstant(a.recordedAt());
    }
    return out.toByteArray();
  }

  static AccountMonth decodeLedger(byte[] bytes) {
    Source in = new Source(bytes);
    in.expectVersion();
    String accountId = in.string();
    YearMonth month = YearMonth.parse(in.string());
    Instant closedAt = in.optionalInstant();
    List<Resource> resources = in.resources();
    int resourceCount = resources.size();
    long monthStart = monthStart(month);
    int rowCount = in.count();
    List<AccountMonth.Row> rows = new ArrayList<>(rowCount);
    // Hours repeat across a ledger's resources: one Instant per hour, not per row, found by the
    // hour's index in the month (a map of boxed hours was a third of reading a ledger).
    Instant[] hours = new Instant[month.lengthOfMonth() * 24];
    for (int i = 0; i < rowCount; i++) {
      Resource r = resources.get(in.index(resourceCount));
      long hour = in.zigzag();
      Instant hourStart;
      if (hour >= 0 && hour < hours.length) {
        hourStart = hours[(int) hour];
        if (hourStart == null) {
          hourStart = Instant.ofEpochSecond(monthStart + hour * 3_600L);
          hours[(int) hour] = hourStart;
        }
      } else {
        // Not a row of this month: read as written, refused by whoever checks the month.
        hourStart = Instant.ofEpochSecond(monthStart + hour * 3_600L);
      }
      rows.add(new AccountMonth.Row(r.resourceId(), r.type(), r.instanceType(), hourStart, in.varint()));
    }
    List<AccountMonth.Adjustment> adjustments = adjustments(in, resources);
    return new AccountMonth(accountId, month, closedAt, rows, adjustments);
  }

  /**
   * Only a ledger's adjustments, its rows checked as {@link #decodeLedger} checks them but not
   * built: a bill reads twelve earlier months for the corrections recorded in its own, and a
   * month's rows are thousands of objects where its adjustments are a few.
   */
  static List<AccountMonth.Adjustment> decodeLedgerAdjustments(byte[] bytes) {
    Source in = new Source(bytes);
    in.expectVersion();
    in.string();
    YearMonth.parse(in.string());
    in.optionalInstant();
    List<Resource> resources = in.resources();
    int resourceCount = resources.size();
    int rowCount = in.count();
    for (int i = 0; i < rowCount; i++) {
      in.index(resourceCount);
      in.zigzag();
      in.varint();
    }
    return adjustments(in, resources);
  }

  /** A ledger's adjustments, the end of its record. */
  private static List<AccountMonth.Adjustment> adjustments(Source in, List<Resource> resources) {
    int adjustmentCount = in.count();
    List<AccountMonth.Adjustment> adjustments = new ArrayList<>(adjustmentCount);
    for (int i = 0; i < adjustmentCount; i++) {
      Resource r = resources.get(in.index(resources.size()));
      Instant hourStart = Instant.ofEpochSecond(in.zigzag());
      long delta = in.zigzag();
      adjustments.add(new AccountMonth.Adjustment(r.resourceId(), r.type(), r.instanceType(), hourStart, delta,
          in.optionalInstant()));
    }
    in.expectEnd();
    return adjustments;
  }

  static byte[] encode(AccountDay day) {
    Map<Resource, Integer> indexes = new HashMap<>();
    List<Resource> resources = new ArrayList<>();
    int[] rowResource = new int[day.rows().size()];
    for (int i = 0; i < rowResource.length; i++) {
      AccountMonth.Row r = day.rows().get(i);
      rowResource[i] = indexOf(new Resource(r.resourceId(), r.type(), r.instanceType()), indexes, resources);
    }
    long dayStart = day.day().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Sink out = new Sink(64 + rowResource.length * 8);
    out.varint(VERSION);
    out.string(day.accountId());
    out.zigzag(day.day().toEpochDay());
    out.resources(resources);
    out.varint(rowResource.length);
    for (int i = 0; i < rowResource.length; i++) {
      AccountMonth.Row r = day.rows().get(i);
      long sinceDayStart = r.hourStart().getEpochSecond() - dayStart;
      if (Math.floorMod(sinceDayStart, 3_600L) != 0 || r.hourStart().getNano() != 0) {
        throw new IllegalArgumentException("an account-day row of " + r.hourStart() + ", not the start of an hour");
      }
      out.varint(rowResource[i]);
      out.varint(sinceDayStart / 3_600L);
      out.varint(r.quantity());
    }
    return out.toByteArray();
  }

  static AccountDay decodeAccountDay(byte[] bytes) {
    Source in = new Source(bytes);
    in.expectVersion();
    String accountId = in.string();
    LocalDate day = LocalDate.ofEpochDay(in.zigzag());
    List<Resource> resources = in.resources();
    long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    int rowCount = in.count();
    List<AccountMonth.Row> rows = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      Resource r = resources.get(in.index(resources.size()));
      long hour = in.varint();
      if (hour >= 24) {
        throw new CorruptRecord("hour " + hour + " of a day");
      }
      rows.add(new AccountMonth.Row(r.resourceId(), r.type(), r.instanceType(), Instant.ofEpochSecond(dayStart + hour * 3_600L),
          in.varint()));
    }
    in.expectEnd();
    return new AccountDay(accountId, day, rows);
  }

  private static long monthStart(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  }

  private static int indexOf(Resource r, Map<Resource, Integer> indexes, List<Resource> resources) {
    return indexes.computeIfAbsent(r, k -> {
      resources.add(k);
      return resources.size() - 1;
    });
  }

  private record Resource(String resourceId, UsageType type, String instanceType) {
    Resource {
      Objects.requireNonNull(resourceId, "resourceId");
      Objects.requireNonNull(type, "type");
    }
  }

  /** Thrown for bytes that are not a whole record of a known version. */
  static final class CorruptRecord extends IllegalArgumentException {
    CorruptRecord(String message) {
      super(message);
    }
  }

  private static final class Sink extends ByteArrayOutputStream {
    Sink(int size) {
      super(size);
    }

    void varint(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("a varint is never negative: " + value);
      }
      unsigned(value);
    }

    void zigzag(long value) {
      unsigned((value << 1) ^ (value >> 63));
    }

    /** Seven bits a byte, low first; {@code value} as unsigned 64 bits. */
    private void unsigned(long value) {
      while ((value & ~0x7FL) != 0) {
        write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      write((int) value);
    }

    void bytes(byte[] b) {
      write(b, 0, b.length);
    }

    void lengthPrefixed(byte[] b) {
      varint(b.length);
      bytes(b);
    }

    /** A record's resources, which its rows name by index. */
    void resources(List<Resource> resources) {
      varint(resources.size());
      for (Resource r : resources) {
        string(r.resourceId());
        string(r.type().name());
        optionalString(r.instanceType());
      }
    }

    /** A series' name: its vNIC (none for CPU time) and metric. */
    void series(String nic, Metric metric) {
      optionalString(nic);
      string(metric.name());
    }

    void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      varint(utf8.length);
      bytes(utf8);
    }

    void optionalString(String s) {
      write(s == null ? 0 : 1);
      if (s != null) {
        string(s);
      }
    }

    void optionalInstant(Instant at) {
      write(at == null ? 0 : 1);
      if (at != null) {
        zigzag(at.getEpochSecond());
        varint(at.getNano());
      }
    }
  }

  private static final class Source {
    private final byte[] bytes;
    private int position;

    Source(byte[] bytes) {
      this.bytes = bytes;
    }

    void expectVersion() {
      long version = varint();
      if (version != VERSION) {
        throw new CorruptRecord("a metering record of version " + version + ", not " + VERSION);
      }
    }

    void expectEnd() {
      if (position != bytes.length) {
        throw new CorruptRecord((bytes.length - position) + " bytes follow the record");
      }
    }

    private int next() {
      if (position >= bytes.length) {
        throw new CorruptRecord("the record is cut off");
      }
      return bytes[position++] & 0xFF;
    }

    long varint() {
      long value = unsigned();
      if (value < 0) {
        throw new CorruptRecord("a varint out of range");
      }
      return value;
    }

    long zigzag() {
      long value = unsigned();
      return (value >>> 1) ^ -(value & 1);
    }

    private long unsigned() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = next();
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new CorruptRecord("a varint longer than 64 bits");
    }

    /** A count or length: every element takes a byte at least, so never more than the bytes left. */
    int count() {
      long count = varint();
      if (count > bytes.length - position) {
        throw new CorruptRecord("a count of " + count + " with " + (bytes.length - position) + " bytes left");
      }
      return (int) count;
    }

    int index(int size) {
      long index = varint();
      if (index >= size) {
        throw new CorruptRecord("index " + index + " of " + size);
      }
      return (int) index;
    }

    byte[] bytes(int length) {
      if (length > bytes.length - position) {
        throw new CorruptRecord("the record is cut off");
      }
      byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + length);
      position += length;
      return out;
    }

    String string() {
      int length = count();
      if (length > bytes.length - position) {
        throw new CorruptRecord("the record is cut off");
      }
      String s = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return s;
    }

    String optionalString() {
      return presence() ? string() : null;
    }

    List<Resource> resources() {
      int count = count();
      List<Resource> resources = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String resourceId = string();
        String type = string();
        try {
          resources.add(new Resource(resourceId, UsageType.valueOf(type), optionalString()));
        } catch (IllegalArgumentException e) {
          throw new CorruptRecord("a usage type " + type);
        }
      }
      return resources;
    }

    Instant optionalInstant() {
      if (!presence()) {
        return null;
      }
      long second = zigzag();
      long nano = varint();
      if (nano > 999_999_999L) {
        throw new CorruptRecord("a nanosecond of " + nano);
      }
      return Instant.ofEpochSecond(second, nano);
    }

    private boolean presence() {
      int b = next();
      if (b > 1) {
        throw new CorruptRecord("a presence byte of " + b);
      }
      return b == 1;
    }
  }
}
