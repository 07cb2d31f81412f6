package dev.canopy.cloud.compute;

import dev.canopy.cloud.grid.IndexRange;
import dev.canopy.cloud.grid.IndexedAttributes;
import dev.canopy.cloud.grid.LaunchKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Walks one account's instances in launch order through the grid's sorted index on launch keys
 * ({@link LaunchKeys}): each step asks the grid for the records in one range of the account's keys
 * after a cursor, so a page reads about what it shows rather than listing the whole account.
 *
 * <p>The grid answers every range exactly (its index lives with the entries), so the ranges, laid
 * end to end from the cursor to the end of the account's keys, show every instance once and in
 * order. Where a range ends is only a guess, from the launch keys this controller has seen
 * ({@link #known}): a guess that is wrong (instances launched through another controller,
 * instances purged since) makes a range larger or smaller than wanted, never an answer wrong.
 * Each range answered replaces what is known about it, so the guess corrects itself; a controller
 * that starts with nothing known asks for the rest of the account once, as a listing did before.
 */
final class LaunchWindows {

  /** Bound on remembered keys (about 120 bytes each); past it memory is dropped and refilled, costing reads, never answers. */
  static final int KEYS_MAX = 500_000;

  /**
   * One step of a walk: the records in the range, in launch order (whoever owns them and whether
   * visible or not is for the caller to check), and the listing key the next range starts after;
   * null when the range reached the end of the account's keys.
   */
  record Window(List<Instance> inOrder, String nextAfter) {}

  private final NavigableSet<String> known = new ConcurrentSkipListSet<>();
  private final AtomicInteger knownCount = new AtomicInteger();

  /**
   * The next range of the account's instances after {@code after} (a listing key; null: from the
   * start), sized to hold about {@code size} instances ({@link Integer#MAX_VALUE}: the rest); empty
   * when the table keeps no sorted index.
   */
  Optional<Window> next(InstanceStore store, String accountId, String after, int size) {
    String from = after == null ? LaunchKeys.ownerStart(accountId) : LaunchKeys.of(accountId, after);
    String end = LaunchKeys.ownerEnd(accountId);
    String to = size == Integer.MAX_VALUE ? end : guessEnd(from, end, size);
    Optional<Map<String, Instance>> found = store.launchedIn(new IndexRange(IndexedAttributes.LAUNCH_KEY, from, to));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    // Each key built once: a comparator building them would build ~20 per record.
    java.util.TreeMap<String, Instance> byKey = new java.util.TreeMap<>();
    found.get().values().forEach(i -> byKey.put(PageCursor.sortKey(i), i));
    learn(accountId, from, to, byKey);
    return Optional.of(new Window(new ArrayList<>(byKey.values()), to.equals(end) ? null : to.substring(LaunchKeys.ownerStart(accountId).length())));
  }

  /** The {@code size}-th known key after {@code from}, or the end of the account's keys when fewer are known. */
  private String guessEnd(String from, String end, int size) {
    int n = 0;
    for (String key : known.subSet(from, false, end, false)) {
      if (++n == size) {
        return key;
      }
    }
    return end;
  }

  /** The range's keys are now exactly those found: forget the others, remember the new. */
  private void learn(String accountId, String from, String to, java.util.SortedMap<String, Instance> byKey) {
    NavigableSet<String> range = known.subSet(from, false, to, true);
    int dropped = 0;
    for (var it = range.iterator(); it.hasNext(); it.next()) {
      dropped++;
    }
    range.clear();
    knownCount.addAndGet(-dropped);
    if (knownCount.get() + byKey.size() > KEYS_MAX) {
      known.clear();
      knownCount.set(0);
    }
    byKey.forEach((key, i) -> {
      // Another account's record cannot be in the range (the owner leads the key); checked anyway.
      if (i.ownerId().equals(accountId) && known.add(LaunchKeys.of(accountId, key))) {
        knownCount.incrementAndGet();
      }
    });
  }

  int knownCount() {
    return knownCount.get();
  }
}
