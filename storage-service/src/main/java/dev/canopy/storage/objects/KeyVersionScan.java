package dev.canopy.storage.objects;

import dev.canopy.storage.kv.KeyPage;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One key's versions in the versions bucket, newest first, read a page of the store at a time as
 * the caller consumes them. A caller that stops at its first match (the collector asking whether
 * any version still names a blob, a lookup of the null version) reads no further, and one that
 * goes through every version holds one page at a time, however many versions the key has.
 */
final class KeyVersionScan implements Iterator<Manifest> {

  private static final int PAGE_KEYS = 1_000;

  private final KvCalls kv;
  private final String bucket;
  private final String prefix;
  private List<KeyPage.ListedKey> page = List.of();
  private int index;
  private boolean more = true;
  private String resumeAfter;
  private Manifest next;

  private KeyVersionScan(KvCalls kv, String namespace, String key) {
    this.kv = kv;
    this.bucket = KvLayout.versions(namespace);
    this.prefix = KvLayout.versionPrefix(key);
  }

  static Stream<Manifest> of(KvCalls kv, String namespace, String key) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new KeyVersionScan(kv, namespace, key),
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (index < page.size()) {
        next = Manifests.resolve(page.get(index++).object()).winner();
      } else if (more) {
        KeyPage fetched = kv.listPage(bucket, prefix, resumeAfter, PAGE_KEYS);
        page = fetched.keys();
        index = 0;
        more = fetched.truncated() && fetched.resumeAfter() != null;
        resumeAfter = fetched.resumeAfter();
      } else {
        return false;
      }
    }
    return true;
  }

  @Override
  public Manifest next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Manifest found = next;
    next = null;
    return found;
  }
}
