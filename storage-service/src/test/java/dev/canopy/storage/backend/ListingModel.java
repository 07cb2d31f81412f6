package dev.canopy.storage.backend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * S3's listing rule written from its documentation, independently of {@link Listing}, for tests
 * to hold real listings against: what every page of a listing returns, concatenated.
 */
public final class ListingModel {

  /** S3's key order: the unsigned bytes of the UTF-8 encoding. */
  public static final Comparator<String> UTF8_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private ListingModel() {}

  /**
   * The entries ({@code "K:" + key} or {@code "P:" + common prefix}) of a listing over all its
   * pages: keys after {@code startAfter} under {@code prefix}, in UTF-8 order, each rolled up into
   * its common prefix when the delimiter follows the prefix, one entry per common prefix.
   */
  public static List<String> entries(Collection<String> keys, String prefix, String delimiter, String startAfter) {
    List<String> entries = new ArrayList<>();
    for (String key : keys.stream().sorted(UTF8_ORDER).toList()) {
      if (!key.startsWith(prefix) || UTF8_ORDER.compare(key, startAfter) <= 0) {
        continue;
      }
      int at = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
      String entry = at < 0 ? "K:" + key : "P:" + key.substring(0, at + delimiter.length());
      if (entries.isEmpty() || !entries.get(entries.size() - 1).equals(entry)) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** One page's keys and common prefixes as entries, merged in the order S3 lists them. */
  public static List<String> pageEntries(List<String> keys, List<String> commonPrefixes) {
    List<String> page = new ArrayList<>();
    keys.forEach(k -> page.add("K:" + k));
    commonPrefixes.forEach(p -> page.add("P:" + p));
    page.sort(Comparator.comparing(e -> e.substring(2), UTF8_ORDER));
    return page;
  }
}
