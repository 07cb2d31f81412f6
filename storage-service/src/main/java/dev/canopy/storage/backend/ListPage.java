package dev.canopy.storage.backend;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param lastItem the last key or common prefix returned ("" when none): where the next page
 *     starts after, used for NextMarker and the v2 continuation token
 */
public record ListPage(
    List<ObjectSummary> contents, List<String> commonPrefixes, boolean truncated, String lastItem) {

  public ListPage {
    contents = List.copyOf(contents);
    commonPrefixes = List.copyOf(commonPrefixes);
  }

  public int keyCount() {
    return contents.size() + commonPrefixes.size();
  }
}
