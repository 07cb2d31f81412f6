package dev.canopy.storage.kv;

import java.util.List;
import java.util.Map;

/**
 * One value of a key with its metadata, as a client wrote it: an object has one content, or
 * several (siblings) after concurrent writes to a bucket with {@code allow_mult}. {@code vtag}
 * and {@code lastModifiedMillis} are set by the store; {@code deleted} marks a tombstone, which a
 * read shows as missing.
 */
public record Content(
    byte[] value,
    String contentType,
    Map<String, String> meta,
    List<Link> links,
    String vtag,
    long lastModifiedMillis,
    boolean deleted) {

  public Content {
    value = value == null ? new byte[0] : value;
    contentType = contentType == null ? "application/octet-stream" : contentType;
    meta = meta == null ? Map.of() : Map.copyOf(meta);
    links = links == null ? List.of() : List.copyOf(links);
    vtag = vtag == null ? "" : vtag;
  }

  /** What a client sends: the store sets vtag and modification time when it stores it. */
  public static Content of(byte[] value, String contentType) {
    return new Content(value, contentType, Map.of(), List.of(), "", 0, false);
  }

  /** A delete's value: the store stamps it as any other and reaps it once every primary holds it. */
  public static Content tombstone() {
    return new Content(new byte[0], null, null, null, "", 0, true);
  }
}
