package dev.canopy.storage.kv;

import java.util.List;

/**
 * One page of a bucket's live keys, in ascending order of their UTF-8 bytes (S3's listing order),
 * each with its object as a quorum read would return it.
 *
 * @param keys at most the page's limit, all after the page's {@code startAfter} and under its prefix
 * @param truncated whether keys may remain after {@code resumeAfter}
 * @param resumeAfter where the next page starts (exclusive): the last key examined, which may lie
 *     beyond the last key returned when deleted keys were skipped; null when nothing was examined
 */
public record KeyPage(List<ListedKey> keys, boolean truncated, String resumeAfter) {

  public KeyPage {
    keys = List.copyOf(keys);
  }

  /** A live key and what a read of it returns (one content, or siblings). */
  public record ListedKey(String key, FetchResult object) {}
}
