package dev.canopy.storage.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary listing of a namespace ({@code GET /v1/kv/{namespace}}): the magic {@code CKV1},
 * the record count (int32), then per record the key's UTF-8 length (int32), the key, the
 * value's length (int32), the value; all big endian. The count and the exact end let a reader
 * tell a cut-off listing from a short one: a grid that loaded a truncated listing would
 * silently forget records.
 */
public final class KvRecords {

  public static final String CONTENT_TYPE = "application/vnd.canopy.kv-records.v1";
  /** A listing is held in memory on both sides; this bounds it. */
  public static final long LISTING_BYTES_MAX = 256L * 1024 * 1024;

  private static final byte[] MAGIC = {'C', 'K', 'V', '1'};

  private KvRecords() {}

  /** The encoded size of {@code records}, computed without encoding (to check the cap first). */
  public static long encodedSize(Map<String, byte[]> records) {
    long size = MAGIC.length + 4L;
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      size += 8L + record.getKey().getBytes(StandardCharsets.UTF_8).length + record.getValue().length;
    }
    return size;
  }

  /** @throws ListingTooLarge when the listing would pass {@link #LISTING_BYTES_MAX} */
  public static byte[] encode(Map<String, byte[]> records) {
    long size = encodedSize(records);
    if (size > LISTING_BYTES_MAX) {
      throw new ListingTooLarge("a listing of " + size + " bytes passes the cap of " + LISTING_BYTES_MAX + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).put(MAGIC).putInt(records.size());
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
      out.putInt(key.length).put(key).putInt(record.getValue().length).put(record.getValue());
    }
    return out.array();
  }

  /**
   * Records in listing order.
   *
   * @throws IllegalArgumentException when the bytes are not a complete listing
   */
  public static Map<String, byte[]> decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      expectMagic(in, MAGIC, "CKV1 listing");
      int count = in.getInt();
      // Each record takes at least 8 bytes: a count beyond that is corrupt, not a reason to allocate.
      if (count < 0 || count > in.remaining() / 8) {
        throw new IllegalArgumentException("a listing cannot hold " + count + " records in " + bytes.length + " bytes");
      }
      Map<String, byte[]> records = new LinkedHashMap<>(Math.max(16, count * 2));
      for (int i = 0; i < count; i++) {
        String key = new String(take(in), StandardCharsets.UTF_8);
        records.put(key, take(in));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes follow the last record");
      }
      return records;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("the listing is cut off");
    }
  }

  /** A namespace too large to list in one response: a limit to raise deliberately, not a bad request. */
  public static final class ListingTooLarge extends RuntimeException {
    ListingTooLarge(String message) {
      super(message, null, false, false);
    }
  }

  /** The format's magic at the start of {@code in}. @throws IllegalArgumentException "not a {@code what}" */
  static void expectMagic(ByteBuffer in, byte[] magic, String what) {
    byte[] read = new byte[magic.length];
    in.get(read);
    if (!java.util.Arrays.equals(read, magic)) {
      throw new IllegalArgumentException("not a " + what);
    }
  }

  /** A length-prefixed field of a listing or a batch ({@link KvWrites}, {@link KvKeys}). */
  static byte[] take(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("the bytes are cut off or corrupt (a length of " + length + ")");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }
}
