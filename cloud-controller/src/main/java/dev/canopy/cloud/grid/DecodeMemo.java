package dev.canopy.cloud.grid;

import java.util.function.Function;

/**
 * The last decoding of recently read records, reused while the grid still holds the same text.
 * Decoding JSON into records was the largest server cost of a DescribeInstances page of 1,000:
 * every call reads the page's records again, and almost all of them are unchanged since the last.
 *
 * <p>Only for tables of immutable records: every reader of an unchanged record gets the same
 * object. A fixed array of slots picked by the key's hash keeps memory bounded without locks or
 * eviction bookkeeping. An entry is immutable and a hit needs both its key and the whole stored
 * text to match, so a stale, colliding or half-seen entry is never used: at worst it is decoded
 * again.
 */
public final class DecodeMemo<T> {

  private record Entry<T>(String key, String text, T value) {}

  private final Entry<T>[] slots;

  private DecodeMemo(int slots) {
    @SuppressWarnings("unchecked")
    Entry<T>[] array = new Entry[slots];
    this.slots = array;
  }

  /** A memo that remembers nothing: every read decodes. */
  public static <T> DecodeMemo<T> none() {
    return new DecodeMemo<>(0);
  }

  /**
   * @param slots at most this many records are remembered (rounded up to a power of two); each
   *     holds its stored text and its decoded record
   */
  public static <T> DecodeMemo<T> ofSize(int slots) {
    if (slots < 1 || slots > 1 << 20) {
      throw new IllegalArgumentException("slots must be in 1..1048576: " + slots);
    }
    int size = 1;
    while (size < slots) {
      size <<= 1;
    }
    return new DecodeMemo<>(size);
  }

  /** The number of records this memo can hold. */
  public int slots() {
    return slots.length;
  }

  /** The record {@code text} (stored under {@code key}) decodes to, decoding only when not remembered. */
  public T decode(String key, String text, Function<String, T> decoder) {
    if (slots.length == 0) {
      return decoder.apply(text);
    }
    int slot = slotOf(key);
    Entry<T> remembered = slots[slot];
    if (remembered != null && remembered.key().equals(key) && remembered.text().equals(text)) {
      return remembered.value();
    }
    T value = decoder.apply(text);
    slots[slot] = new Entry<>(key, text, value);
    return value;
  }

  private int slotOf(String key) {
    int hash = key.hashCode();
    return (hash ^ (hash >>> 16)) & (slots.length - 1);
  }
}
