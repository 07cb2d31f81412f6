package dev.canopy.storage.kv.aae;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A backend key as a value: compared by its bytes, ordered as unsigned bytes (the backends'
 * order), immutable (copied in and out).
 */
public final class KeyBytes implements Comparable<KeyBytes> {

  private final byte[] bytes;

  private KeyBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static KeyBytes of(byte[] bytes) {
    return new KeyBytes(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes without a copy, for hashing; never to be changed. */
  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public int compareTo(KeyBytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyBytes other && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
