package dev.canopy.storage.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON encoding of the records this package stores. JSON costs a few bytes per manifest but keeps
 * the store inspectable with {@code ldb} and tolerant of added fields.
 */
public final class Records {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Records() {}

  public static byte[] encode(Object record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + record.getClass().getSimpleName(), e);
    }
  }

  public static <T> T decode(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      // A record this process cannot read is corruption or a downgrade: fail loudly.
      throw new StoreException("corrupt " + type.getSimpleName() + " record", e);
    }
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
