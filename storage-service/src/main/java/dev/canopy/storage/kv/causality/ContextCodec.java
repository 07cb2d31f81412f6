package dev.canopy.storage.kv.causality;

import dev.canopy.storage.kv.InvalidRequestException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A client's causal context (the {@code X-Riak-Vclock}) as opaque bytes: a format byte, the
 * entry count, each actor and counter, and a CRC-32 of all that, so a context a client mangled or
 * made up is refused with {@link InvalidRequestException} rather than silently replacing the
 * wrong values. Empty bytes are the empty context (a blind write).
 */
public final class ContextCodec {

  private static final byte FORMAT = 1;
  /** The most actors a context may carry: far above what a key sees, small enough to parse cheaply. */
  public static final int ACTORS_MAX = 1024;

  private ContextCodec() {}

  public static byte[] encode(VersionVector clock) {
    if (clock.size() == 0) {
      return new byte[0];
    }
    ByteBuffer out = ByteBuffer.allocate(1 + 4 + clock.size() * 16 + 8);
    out.put(FORMAT).putInt(clock.size());
    clock.entries().forEach((actor, counter) -> out.putLong(actor).putLong(counter));
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putLong(crc.getValue());
    return out.array();
  }

  public static VersionVector decode(byte[] context) {
    if (context == null || context.length == 0) {
      return VersionVector.EMPTY;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(context);
      if (in.get() != FORMAT) {
        throw garbage();
      }
      int count = in.getInt();
      if (count < 1 || count > ACTORS_MAX || context.length != 1 + 4 + count * 16 + 8) {
        throw garbage();
      }
      Map<Long, Long> entries = new TreeMap<>();
      long previous = Long.MIN_VALUE;
      for (int i = 0; i < count; i++) {
        long actor = in.getLong();
        long counter = in.getLong();
        if ((i > 0 && actor <= previous) || counter < 1) {
          throw garbage();
        }
        previous = actor;
        entries.put(actor, counter);
      }
      CRC32 crc = new CRC32();
      crc.update(context, 0, in.position());
      if (in.getLong() != crc.getValue()) {
        throw garbage();
      }
      return VersionVector.of(entries);
    } catch (BufferUnderflowException e) {
      throw garbage();
    }
  }

  private static InvalidRequestException garbage() {
    return new InvalidRequestException("the causal context (X-Riak-Vclock) is not one this store made");
  }
}
