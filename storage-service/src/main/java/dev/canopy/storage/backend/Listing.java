package dev.canopy.storage.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * S3's listing rule, shared by ListObjects v1 and v2: keys under a prefix, those containing the
 * delimiter after the prefix rolled up into common prefixes, keys and prefixes together limited
 * to max-keys, resuming strictly after the previous page's last item.
 */
public final class Listing {

  private Listing() {}

  public static ListPage page(KeyCursor<ObjectSummary> cursor, ListQuery query) {
    if (query.maxKeys() == 0) {
      // S3 answers max-keys=0 with an empty page that is not truncated: a truncated one would
      // carry a continuation token pointing where it already is, and a paginator would loop.
      return new ListPage(List.of(), List.of(), false, "");
    }
    String prefix = query.prefix();
    String delimiter = query.delimiter();
    String after = query.startAfter();
    List<ObjectSummary> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = "";
    boolean truncated = false;
    // Each step either returns an item or skips past something at or before `after`; the seek
    // below leaves at most one key equal to `after` and one common prefix covering it, so the
    // loop is bounded by maxKeys + 2 plus the final look-ahead.
    int stepsMax = query.maxKeys() + 3;
    int steps = 0;
    boolean valid = cursor.seek(KeyOrder.max(prefix, after));
    while (valid) {
      if (++steps > stepsMax) {
        throw new IllegalStateException("listing did not advance: cursor broken");
      }
      String key = cursor.key();
      if (!key.startsWith(prefix)) {
        break;
      }
      if (!after.isEmpty() && KeyOrder.compare(key, after) <= 0) {
        valid = cursor.next();
        continue;
      }
      String common = commonPrefix(key, prefix, delimiter);
      if (common != null) {
        // A prefix at or before the marker was returned on an earlier page (the marker may
        // be that very prefix, or a key inside it): skip all of it.
        if (!after.isEmpty() && KeyOrder.compare(common, after) <= 0) {
          valid = cursor.seekPast(common);
          continue;
        }
        if (contents.size() + prefixes.size() == query.maxKeys()) {
          truncated = true;
          break;
        }
        prefixes.add(common);
        last = common;
        valid = cursor.seekPast(common);
        continue;
      }
      if (contents.size() + prefixes.size() == query.maxKeys()) {
        truncated = true;
        break;
      }
      contents.add(cursor.value());
      last = key;
      valid = cursor.next();
    }
    return new ListPage(contents, prefixes, truncated, last);
  }

  /** The common prefix a key rolls up into, or null when it has no delimiter after the prefix. */
  public static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter.isEmpty()) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }
}
