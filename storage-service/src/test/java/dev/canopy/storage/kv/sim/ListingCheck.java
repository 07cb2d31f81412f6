package dev.canopy.storage.kv.sim;

import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.engine.KvNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The simulator's check of listings after healing: a bucket listed one key per page (so every
 * page ends on a boundary) shows exactly the keys the final reads found, each with the values
 * those reads returned. A key the reads found missing must not be listed, and none skipped.
 */
final class ListingCheck {

  private static final ReadOptions QUORUM = new ReadOptions(Quorum.MAJORITY, Quorum.of(0));
  /** Pages one listing may take: one per key and one to end, with room to spare. */
  private static final int PAGES_MAX = 64;

  private ListingCheck() {}

  /**
   * @param finalReads per "bucket/key", the sibling values the final reads returned (empty: missing)
   */
  static void check(SimNetwork net, KvNode via, String bucket, Map<String, List<String>> finalReads,
      int eventsMax) {
    Map<String, List<String>> expected = new TreeMap<>();
    finalReads.forEach((bucketKey, values) -> {
      if (bucketKey.startsWith(bucket + "/") && !values.isEmpty()) {
        expected.put(bucketKey, values);
      }
    });
    Map<String, List<String>> listed = new TreeMap<>();
    String after = null;
    for (int pages = 0; pages < PAGES_MAX; pages++) {
      CompletableFuture<KeyPage> call = via.listPage(bucket, null, after, 1, QUORUM);
      net.runUntil(call::isDone, eventsMax);
      KeyPage page = call.join();
      for (KeyPage.ListedKey key : page.keys()) {
        if (listed.put(bucket + "/" + key.key(), values(key.object())) != null) {
          throw new AssertionError("listing " + bucket + " showed " + key.key() + " twice");
        }
      }
      if (!page.truncated()) {
        if (!listed.equals(expected)) {
          throw new AssertionError("listing " + bucket + " after healing shows " + listed
              + " where the final reads found " + expected);
        }
        return;
      }
      after = page.resumeAfter();
    }
    throw new AssertionError("listing " + bucket + " did not end in " + PAGES_MAX + " pages");
  }

  private static List<String> values(FetchResult object) {
    return object.siblings().stream()
        .map(c -> new String(c.value(), StandardCharsets.UTF_8)).sorted().toList();
  }
}
