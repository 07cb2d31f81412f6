package dev.canopy.storage.kv.causality;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.Link;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replica's state as the bytes a backend record and a peer message carry: a format byte, the
 * clock, then each sibling's dot and content (metadata sorted, so equal objects encode equally).
 * Decoding refuses anything malformed with {@link IllegalArgumentException}: these bytes come
 * from this store's own disks and peers, never from a client.
 */
public final class CausalObjectCodec {

  private static final int FORMAT = 1;
  /** Bounds on what one record may hold, against a corrupt length making a node allocate wildly. */
  public static final int SIBLINGS_MAX = 10_000;
  public static final int VALUE_BYTES_MAX = 64 << 20;

  private CausalObjectCodec() {}

  public static byte[] encode(CausalObject object) {
    // Written into an array of the exact size: a growing buffer, or one sized by estimate and
    // trimmed at the end, copies a MiB value once more on the way (a chunk's record is a MiB).
    byte[] record = new byte[encodedSize(object)];
    FilledArray array = new FilledArray(record);
    try (DataOutputStream out = new DataOutputStream(array)) {
      out.writeByte(FORMAT);
      out.writeInt(object.clock().size());
      for (Map.Entry<Long, Long> e : object.clock().entries().entrySet()) {
        out.writeLong(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(object.siblings().size());
      for (Sibling s : object.siblings()) {
        out.writeLong(s.dot().actor());
        out.writeLong(s.dot().counter());
        writeContent(out, s.content());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (array.filled != record.length) {
      throw new IllegalStateException("a record's size was computed as " + record.length
          + " bytes but " + array.filled + " were written");
    }
    return record;
  }

  /** The bytes {@link #encode} writes for {@code object}. */
  static int encodedSize(CausalObject object) {
    long size = 1 + 4 + 16L * object.clock().size() + 4;
    for (Sibling s : object.siblings()) {
      size += 16 + contentSize(s.content());
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a record of " + size + " bytes is larger than an array");
    }
    return (int) size;
  }

  private static long contentSize(Content c) {
    long size = 4L + c.value().length + utfSize(c.contentType()) + 4;
    for (Map.Entry<String, String> e : c.meta().entrySet()) {
      size += utfSize(e.getKey()) + utfSize(e.getValue());
    }
    size += 4;
    for (Link l : c.links()) {
      size += utfSize(l.bucket()) + utfSize(l.key()) + utfSize(l.tag());
    }
    return size + utfSize(c.vtag()) + 8 + 1;
  }

  /** What {@link DataOutputStream#writeUTF} writes: a 2-byte length, then modified UTF-8. */
  private static int utfSize(String s) {
    int size = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      size += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
    }
    return size;
  }

  /** An output stream over an array that must not overflow (its size was computed up front). */
  private static final class FilledArray extends OutputStream {
    private final byte[] array;
    private int filled;

    FilledArray(byte[] array) {
      this.array = array;
    }

    @Override
    public void write(int b) {
      array[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.arraycopy(b, off, array, filled, len);
      filled += len;
    }
  }

  /** One content, as records and messages carry it. */
  public static void writeContent(DataOutputStream out, Content c) throws IOException {
    out.writeInt(c.value().length);
    out.write(c.value());
    out.writeUTF(c.contentType());
    out.writeInt(c.meta().size());
    for (Map.Entry<String, String> e : new TreeMap<>(c.meta()).entrySet()) {
      out.writeUTF(e.getKey());
      out.writeUTF(e.getValue());
    }
    out.writeInt(c.links().size());
    for (Link l : c.links()) {
      out.writeUTF(l.bucket());
      out.writeUTF(l.key());
      out.writeUTF(l.tag());
    }
    out.writeUTF(c.vtag());
    out.writeLong(c.lastModifiedMillis());
    out.writeBoolean(c.deleted());
  }

  public static CausalObject decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readByte() != FORMAT) {
        throw new IllegalArgumentException("unknown record format");
      }
      int actors = bounded(in.readInt(), SIBLINGS_MAX);
      Map<Long, Long> clock = new TreeMap<>();
      for (int i = 0; i < actors; i++) {
        clock.put(in.readLong(), in.readLong());
      }
      int count = bounded(in.readInt(), SIBLINGS_MAX);
      List<Sibling> siblings = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Dot dot = new Dot(in.readLong(), in.readLong());
        siblings.add(new Sibling(dot, readContent(in)));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("trailing bytes after a record");
      }
      return new CausalObject(VersionVector.of(clock), siblings);
    } catch (IOException e) {
      throw new IllegalArgumentException("a truncated record", e);
    }
  }

  public static Content readContent(DataInputStream in) throws IOException {
    byte[] value = new byte[bounded(in.readInt(), VALUE_BYTES_MAX)];
    in.readFully(value);
    String contentType = in.readUTF();
    Map<String, String> meta = new TreeMap<>();
    int metaCount = bounded(in.readInt(), SIBLINGS_MAX);
    for (int i = 0; i < metaCount; i++) {
      meta.put(in.readUTF(), in.readUTF());
    }
    List<Link> links = new ArrayList<>();
    int linkCount = bounded(in.readInt(), SIBLINGS_MAX);
    for (int i = 0; i < linkCount; i++) {
      links.add(new Link(in.readUTF(), in.readUTF(), in.readUTF()));
    }
    return new Content(value, contentType, meta, links, in.readUTF(), in.readLong(),
        in.readBoolean());
  }

  private static int bounded(int count, int max) {
    if (count < 0 || count > max) {
      throw new IllegalArgumentException("a count out of bounds in a record: " + count);
    }
    return count;
  }
}
