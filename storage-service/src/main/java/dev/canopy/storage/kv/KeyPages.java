package dev.canopy.storage.kv;

import dev.canopy.storage.backend.KeyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link KvService#listPage}'s default: candidates from a key listing, each confirmed by a read. */
final class KeyPages {

  private KeyPages() {}

  static CompletableFuture<KeyPage> firstLive(
      KvService store, String bucket, Collection<String> keys, String prefix, String startAfter, int limit,
      ReadOptions options) {
    List<String> candidates = keys.stream().distinct()
        .filter(k -> k.startsWith(prefix == null ? "" : prefix))
        .filter(k -> startAfter == null || KeyOrder.compare(k, startAfter) > 0)
        .sorted(KeyOrder.COMPARATOR)
        .toList();
    return readInOrder(store, bucket, candidates, 0, limit, options, new ArrayList<>());
  }

  /** Reads candidates in order until the page is full; a key deleted meanwhile is skipped. */
  private static CompletableFuture<KeyPage> readInOrder(
      KvService store, String bucket, List<String> candidates, int next, int limit, ReadOptions options,
      List<KeyPage.ListedKey> page) {
    if (next == candidates.size() || page.size() == limit) {
      String resumeAfter = next == 0 ? null : candidates.get(next - 1);
      return CompletableFuture.completedFuture(new KeyPage(page, next < candidates.size(), resumeAfter));
    }
    String key = candidates.get(next);
    return store.get(bucket, key, options).thenCompose(object -> {
      if (object.found()) {
        page.add(new KeyPage.ListedKey(key, object));
      }
      return readInOrder(store, bucket, candidates, next + 1, limit, options, page);
    });
  }
}
