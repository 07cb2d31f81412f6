package dev.canopy.storage.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The body of a batch read ({@code POST /v1/kv/{namespace}?get}): the magic {@code CKG1}, the key
 * count (int32), then per key its UTF-8 length (int32) and bytes; all big endian. At most {@link
 * #KEYS_MAX} keys, each checked as a record path's key is ({@link KvPaths#checkKey}). The answer
 * is the records found, in {@link KvRecords}' format.
 */
public final class KvKeys {

  public static final String CONTENT_TYPE = "application/vnd.canopy.kv-keys.v1";
  /** Keys per request: a client splits more into several. Bounds the server's work and answer per call. */
  public static final int KEYS_MAX = 1000;
  /** The largest valid body: {@link #KEYS_MAX} keys of the longest length. */
  public static final int BODY_BYTES_MAX = 8 + KEYS_MAX * (4 + KvPaths.KEY_BYTES_MAX);
  /**
   * One answer, held in memory on both sides, as a batch write's body is ({@link
   * KvWrites#BATCH_BYTES_MAX}); a single record (at most 1 MiB) always fits, so a client that is
   * told {@link AnswerTooLarge} asks for fewer keys at a time.
   */
  public static final int ANSWER_BYTES_MAX = KvWrites.BATCH_BYTES_MAX;
  /** The {@code Canopy-Kv-Result} of a 413 that says the records found, not the request, are too large. */
  public static final String RESULT_TOO_LARGE = "too-large";

  private static final byte[] MAGIC = {'C', 'K', 'G', '1'};

  private KvKeys() {}

  /** @throws IllegalArgumentException for more than {@link #KEYS_MAX} keys or a key the API cannot carry */
  public static byte[] encode(Collection<String> keys) {
    if (keys.size() > KEYS_MAX) {
      throw new IllegalArgumentException(keys.size() + " keys pass the limit of " + KEYS_MAX + " per request");
    }
    List<byte[]> utf8 = new ArrayList<>(keys.size());
    int size = MAGIC.length + 4;
    for (String key : keys) {
      KvPaths.checkKey(key);
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      utf8.add(bytes);
      size += 4 + bytes.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).put(MAGIC).putInt(utf8.size());
    for (byte[] key : utf8) {
      out.putInt(key.length).put(key);
    }
    return out.array();
  }

  /** @throws IllegalArgumentException saying what is wrong: not a batch, cut off, too many keys, or a bad key */
  public static List<String> decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      KvRecords.expectMagic(in, MAGIC, "CKG1 list of keys");
      int count = in.getInt();
      if (count < 0 || count > KEYS_MAX) {
        throw new IllegalArgumentException("a batch read takes 0 to " + KEYS_MAX + " keys, this one names " + count);
      }
      // Each key takes at least 4 bytes: a count beyond that is corrupt, not a reason to allocate.
      if (count > in.remaining() / 4) {
        throw new IllegalArgumentException("a list cannot hold " + count + " keys in " + bytes.length + " bytes");
      }
      List<String> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] utf8 = KvRecords.take(in);
        try {
          String key = KvPaths.strictUtf8(utf8);
          KvPaths.checkKey(key);
          keys.add(key);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("key " + (i + 1) + " of " + count + ": " + e.getMessage());
        }
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes follow the last key");
      }
      return keys;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("the list of keys is cut off");
    }
  }

  /**
   * The answer to a batch read, in {@link KvRecords}' format.
   *
   * @throws AnswerTooLarge when it would pass {@link #ANSWER_BYTES_MAX}
   */
  public static byte[] encodeAnswer(Map<String, byte[]> found) {
    long size = KvRecords.encodedSize(found);
    if (size > ANSWER_BYTES_MAX) {
      throw new AnswerTooLarge("the " + found.size() + " records found take " + size + " bytes, more than one answer's "
          + ANSWER_BYTES_MAX + ": ask for fewer keys at a time");
    }
    return KvRecords.encode(found);
  }

  /** The records asked for are too large for one answer: not a bad request, a reason to ask for fewer. */
  public static final class AnswerTooLarge extends RuntimeException {
    AnswerTooLarge(String message) {
      super(message, null, false, false);
    }
  }
}
