package dev.canopy.storage.kv.aae;

import java.util.List;

/** The keys two listings of one segment disagree on: a merge of two lists sorted by unsigned key. */
final class SegmentDiff {

  private SegmentDiff() {}

  static void compare(List<KeyHash> mine, List<KeyHash> theirs, List<KeyDifference> out) {
    // The merge below is only right on sorted lists; a peer's listing is checked, not trusted.
    requireStrictlyAscending(mine, "this side");
    requireStrictlyAscending(theirs, "the remote side");
    int i = 0;
    int j = 0;
    while (i < mine.size() || j < theirs.size()) {
      if (j == theirs.size()) {
        out.add(new KeyDifference(mine.get(i++).key(), KeyDifference.Kind.MISSING_REMOTELY));
      } else if (i == mine.size()) {
        out.add(new KeyDifference(theirs.get(j++).key(), KeyDifference.Kind.MISSING_LOCALLY));
      } else {
        KeyHash a = mine.get(i);
        KeyHash b = theirs.get(j);
        int order = a.key().compareTo(b.key());
        if (order < 0) {
          out.add(new KeyDifference(a.key(), KeyDifference.Kind.MISSING_REMOTELY));
          i++;
        } else if (order > 0) {
          out.add(new KeyDifference(b.key(), KeyDifference.Kind.MISSING_LOCALLY));
          j++;
        } else {
          if (a.objectHash() != b.objectHash()) {
            out.add(new KeyDifference(a.key(), KeyDifference.Kind.DIFFERENT));
          }
          i++;
          j++;
        }
      }
    }
  }

  private static void requireStrictlyAscending(List<KeyHash> listing, String side) {
    for (int i = 1; i < listing.size(); i++) {
      if (listing.get(i - 1).key().compareTo(listing.get(i).key()) >= 0) {
        throw new IllegalStateException(side + " listed a segment's keys out of order at " + listing.get(i).key());
      }
    }
  }
}
