package dev.canopy.storage.backend;

import java.util.Comparator;

/**
 * The order S3 lists keys in: binary order of their UTF-8 bytes, which is Unicode code point
 * order. {@link String#compareTo} compares UTF-16 units and puts supplementary characters before
 * U+E000..U+FFFF, so it must not be used for keys.
 */
public final class KeyOrder {

  public static final Comparator<String> COMPARATOR = KeyOrder::compare;

  private KeyOrder() {}

  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  public static String max(String a, String b) {
    return compare(a, b) >= 0 ? a : b;
  }
}
