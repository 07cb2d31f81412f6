package dev.canopy.core.cache;

import java.util.function.Function;

/**
 * The last result computed for each of the recently seen keys, reused while the key's input is
 * still equal to the one it was computed from. Made for work repeated on records that seldom
 * change: decoding a grid record's stored text, rendering a record as XML. A DescribeInstances page
 * of 1,000 did both for every record on every call, though almost none had changed since the last.
 *
 * <p>Results are shared: every caller with an equal input gets the same object, so they must be
 * immutable. A fixed array of slots picked by the key's hash keeps memory bounded without locks or
 * eviction bookkeeping. An entry is immutable and a hit needs both its key and its whole input to
 * be equal, so a stale, colliding or half-seen entry is never used: at worst it is computed again.
 */
public final class KeyedMemo<I, V> {

  private record Entry<I, V>(String key, I input, V value) {}

  private final Entry<I, V>[] slots;

  private KeyedMemo(int slots) {
    @SuppressWarnings("unchecked")
    Entry<I, V>[] array = new Entry[slots];
    this.slots = array;
  }

  /** A memo that remembers nothing: every call computes. */
  public static <I, V> KeyedMemo<I, V> none() {
    return new KeyedMemo<>(0);
  }

  /**
   * @param slots at most this many keys are remembered (rounded up to a power of two); each slot
   *     holds a key's input and its result
   */
  public static <I, V> KeyedMemo<I, V> ofSize(int slots) {
    if (slots < 1 || slots > 1 << 20) {
      throw new IllegalArgumentException("slots must be in 1..1048576: " + slots);
    }
    int size = 1;
    while (size < slots) {
      size <<= 1;
    }
    return new KeyedMemo<>(size);
  }

  /** The number of keys this memo can hold. */
  public int slots() {
    return slots.length;
  }

  /** What {@code compute} gives for {@code input} (the current input of {@code key}), computed only when not remembered. */
  public V apply(String key, I input, Function<? super I, ? extends V> compute) {
    if (slots.length == 0) {
      return compute.apply(input);
    }
    int slot = slotOf(key);
    Entry<I, V> remembered = slots[slot];
    if (remembered != null && remembered.key().equals(key) && remembered.input().equals(input)) {
      return remembered.value();
    }
    V value = compute.apply(input);
    slots[slot] = new Entry<>(key, input, value);
    return value;
  }

  private int slotOf(String key) {
    int hash = key.hashCode();
    return (hash ^ (hash >>> 16)) & (slots.length - 1);
  }
}
