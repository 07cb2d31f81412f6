package dev.canopy.storage.backend;

/**
 * One page request of a bucket listing, already decoded from v1 or v2 parameters.
 *
 * @param prefix "" for none
 * @param delimiter "" for none
 * @param startAfter return only keys (and common prefixes) after this one; "" for none. Both the
 *     v1 marker and the v2 continuation token/start-after end up here.
 * @param maxKeys 0..1000; keys and common prefixes both count
 */
public record ListQuery(String prefix, String delimiter, String startAfter, int maxKeys) {

  public static final int KEYS_PER_LISTING_MAX = 1000;

  public ListQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null ? "" : delimiter;
    startAfter = startAfter == null ? "" : startAfter;
    if (maxKeys < 0 || maxKeys > KEYS_PER_LISTING_MAX) {
      throw new IllegalArgumentException("maxKeys out of range: " + maxKeys);
    }
  }
}
