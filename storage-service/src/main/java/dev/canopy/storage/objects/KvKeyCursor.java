package dev.canopy.storage.objects;

import dev.canopy.storage.backend.KeyCursor;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.kv.KeyPage;
import java.util.List;

/**
 * A {@link KeyCursor} over one namespace's manifests under a listing's prefix, a page of the
 * store's {@code listPage} at a time. Sibling manifests show as a read would resolve them.
 *
 * <p>The store pages by "after a key", so {@link #seek} returns the keys after its argument, and
 * the argument itself only when it is the listing's prefix: {@code Listing} seeks either the
 * prefix or its marker, and never returns a key equal to the marker, so the difference never
 * shows.
 */
final class KvKeyCursor implements KeyCursor<ObjectSummary> {

  /**
   * After every key that starts with a prefix: the prefix, then code points above any a key of at
   * most 1,024 UTF-8 bytes (S3's limit) can continue it with.
   */
  static final String AFTER_ANY_CONTINUATION = new String(Character.toChars(Character.MAX_CODE_POINT)).repeat(257);

  private final KvCalls kv;
  private final String bucket;
  private final String prefix;
  private final int pageKeys;
  private List<KeyPage.ListedKey> page = List.of();
  private int index;
  private boolean more;
  private String resumeAfter;

  /** @param pageKeys keys per store page: what the listing may need, plus its look-ahead */
  KvKeyCursor(KvCalls kv, String namespace, String prefix, int pageKeys) {
    this.kv = kv;
    this.bucket = KvLayout.manifests(namespace);
    this.prefix = prefix;
    this.pageKeys = pageKeys;
  }

  @Override
  public boolean seek(String key) {
    return fetch(key.equals(prefix) ? null : key);
  }

  @Override
  public boolean seekPast(String keyPrefix) {
    return fetch(keyPrefix + AFTER_ANY_CONTINUATION);
  }

  @Override
  public boolean next() {
    index++;
    if (index < page.size()) {
      return true;
    }
    return more && fetch(resumeAfter);
  }

  @Override
  public String key() {
    return page.get(index).key();
  }

  @Override
  public ObjectSummary value() {
    return Manifests.resolve(page.get(index).object()).winner().summary();
  }

  /** Loads the first page after {@code after} (null: from the prefix); bounded by the store's pages. */
  private boolean fetch(String after) {
    String from = after;
    // A page may come back empty but truncated when it only met deleted keys: go on from there.
    for (int pages = 0; pages < 1_000; pages++) {
      KeyPage fetched = kv.listPage(bucket, prefix, from, pageKeys);
      page = fetched.keys();
      index = 0;
      more = fetched.truncated() && fetched.resumeAfter() != null;
      resumeAfter = fetched.resumeAfter();
      if (!page.isEmpty() || !more) {
        return !page.isEmpty();
      }
      from = resumeAfter;
    }
    throw new IllegalStateException("a listing of " + bucket + " made no progress in 1,000 pages");
  }
}
