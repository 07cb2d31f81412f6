package dev.canopy.storage.internal;

import dev.canopy.storage.local.SystemStore.Write;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a batch write ({@code POST /v1/kv-batch}): the magic {@code CKW1}, the record
 * count (int32), then per record the namespace, the key and the value, each as its length
 * (int32) and bytes; all big endian, names in UTF-8. Decoding checks every name as a record
 * path would and every value against {@link InternalKvServer#VALUE_BYTES_MAX}.
 */
public final class KvWrites {

  public static final String CONTENT_TYPE = "application/vnd.canopy.kv-writes.v1";
  /** One request's body: a caller splits a larger batch into several requests. */
  public static final int BATCH_BYTES_MAX = 16 * 1024 * 1024;

  private static final byte[] MAGIC = {'C', 'K', 'W', '1'};
  private static final int HEADER_BYTES = MAGIC.length + 4;

  private KvWrites() {}

  /** The encoded size of one record in a batch. */
  public static long encodedSize(Write w) {
    return 12L + utf8(w.namespace()).length + utf8(w.key()).length + w.value().length;
  }

  /**
   * The writes split into bodies of at most {@link #BATCH_BYTES_MAX} bytes each, in order.
   *
   * @throws IllegalArgumentException when one record alone does not fit a body
   */
  public static List<byte[]> encode(List<Write> writes) {
    List<byte[]> bodies = new ArrayList<>();
    int from = 0;
    while (from < writes.size()) {
      long size = HEADER_BYTES;
      int to = from;
      while (to < writes.size() && size + encodedSize(writes.get(to)) <= BATCH_BYTES_MAX) {
        size += encodedSize(writes.get(to));
        to++;
      }
      if (to == from) {
        Write w = writes.get(from);
        throw new IllegalArgumentException(w.namespace() + "/" + w.key() + " does not fit a batch of " + BATCH_BYTES_MAX + " bytes");
      }
      ByteBuffer out = ByteBuffer.allocate((int) size).put(MAGIC).putInt(to - from);
      for (Write w : writes.subList(from, to)) {
        put(out, utf8(w.namespace()));
        put(out, utf8(w.key()));
        put(out, w.value());
      }
      bodies.add(out.array());
      from = to;
    }
    return bodies;
  }

  /** @throws IllegalArgumentException when the bytes are not a complete batch of valid records */
  public static List<Write> decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      KvRecords.expectMagic(in, MAGIC, "CKW1 batch");
      int count = in.getInt();
      // Each record takes at least 12 bytes: a count beyond that is corrupt, not a reason to allocate.
      if (count < 0 || count > in.remaining() / 12) {
        throw new IllegalArgumentException("a batch cannot hold " + count + " records in " + bytes.length + " bytes");
      }
      List<Write> writes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String namespace = new String(KvRecords.take(in), StandardCharsets.UTF_8);
        String key = new String(KvRecords.take(in), StandardCharsets.UTF_8);
        byte[] value = KvRecords.take(in);
        KvPaths.checkNamespace(namespace);
        KvPaths.checkKey(key);
        if (value.length > InternalKvServer.VALUE_BYTES_MAX) {
          throw new IllegalArgumentException(namespace + "/" + key + ": a value may have at most " + InternalKvServer.VALUE_BYTES_MAX + " bytes");
        }
        writes.add(new Write(namespace, key, value));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes follow the last record");
      }
      return writes;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("the batch is cut off");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes.length).put(bytes);
  }
}
