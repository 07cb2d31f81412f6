package dev.canopy.storage.objects;

import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.VersionsPage;
import dev.canopy.storage.backend.VersionsQuery;
import dev.canopy.storage.kv.KeyPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One page of ListObjectVersions: the versions bucket's entries merged, in the store's key order,
 * with the legacy versions of the manifests bucket (written before the bucket was versioned; a
 * key's legacy version is its newest, and its key sorts before {@code <key>\0...}). Manifests
 * with a version id are copies of versions-bucket entries and are skipped, so a page reads about
 * two store pages per {@code maxKeys}.
 */
final class KvVersionListing {

  private static final String AFTER_ANY_CONTINUATION = KvKeyCursor.AFTER_ANY_CONTINUATION;

  private final KvCalls kv;
  private final String namespace;
  private final VersionsQuery query;
  private final Source legacy;
  private final Source versions;

  KvVersionListing(KvCalls kv, String namespace, VersionsQuery query) {
    this.kv = kv;
    this.namespace = namespace;
    this.query = query;
    int pageKeys = Math.max(1, query.maxKeys() + 2);
    this.legacy = new Source(KvLayout.manifests(namespace), pageKeys);
    this.versions = new Source(KvLayout.versions(namespace), pageKeys);
  }

  VersionsPage page() {
    List<ObjectVersion> listed = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (query.maxKeys() == 0) {
      return new VersionsPage(listed, prefixes, false, null, null);
    }
    // The key whose versions were last seen: a later version of it is not the latest.
    String previousKey = start();
    String lastKey = null;
    String lastVersionId = null;
    // Bounded: every turn consumes an entry or skips past a common prefix, and stops at maxKeys + 1.
    while (true) {
      Entry next = nextEntry();
      if (next == null) {
        return new VersionsPage(listed, prefixes, false, null, null);
      }
      String commonPrefix = commonPrefix(next.key());
      if (listed.size() + prefixes.size() == query.maxKeys()) {
        return new VersionsPage(listed, prefixes, true, lastKey, lastVersionId);
      }
      if (commonPrefix != null) {
        prefixes.add(commonPrefix);
        legacy.seek(commonPrefix + AFTER_ANY_CONTINUATION);
        versions.seek(commonPrefix + AFTER_ANY_CONTINUATION);
        lastKey = commonPrefix;
        lastVersionId = null;
        continue;
      }
      next.source().advance();
      boolean latest = !next.key().equals(previousKey);
      ObjectVersion version = next.manifest().asVersion(latest);
      listed.add(version);
      previousKey = next.key();
      lastKey = version.key();
      lastVersionId = version.versionId();
    }
  }

  /** Positions both sources after the markers; returns the marker's key when the page starts inside its versions. */
  private String start() {
    String keyMarker = query.keyMarker();
    if (keyMarker.isEmpty()) {
      legacy.seek(null);
      versions.seek(null);
      return null;
    }
    if (commonPrefix(keyMarker) != null && keyMarker.equals(commonPrefix(keyMarker))) {
      legacy.seek(keyMarker + AFTER_ANY_CONTINUATION);
      versions.seek(keyMarker + AFTER_ANY_CONTINUATION);
      return null;
    }
    // A key's legacy version sorts first among its versions: any marker on the key is past it.
    legacy.seek(keyMarker);
    String versionIdMarker = query.versionIdMarker();
    if (versionIdMarker.isEmpty()) {
      versions.seek(KvLayout.versionPrefix(keyMarker) + AFTER_ANY_CONTINUATION);
      return null;
    }
    if (versionIdMarker.equals(ObjectVersion.NULL_ID)) {
      String nullEntry = KvVersions.versionsOf(kv, namespace, keyMarker)
          .filter(m -> m.versionId().equals(ObjectVersion.NULL_ID)).findFirst()
          .map(m -> KvLayout.versionKey(keyMarker, KvVersions.sortKey(m))).orElse(keyMarker);
      versions.seek(nullEntry);
    } else {
      versions.seek(KvLayout.versionKey(keyMarker, versionIdMarker));
    }
    return keyMarker;
  }

  /** The next entry in store order across both sources, or null at the end. */
  private Entry nextEntry() {
    KeyPage.ListedKey fromLegacy = legacy.current();
    KeyPage.ListedKey fromVersions = versions.current();
    // A manifest with a version id is a copy of the current version, listed from the versions bucket.
    while (fromLegacy != null && isCopyOrGone(Manifests.resolve(fromLegacy.object()).winner())) {
      legacy.advance();
      fromLegacy = legacy.current();
    }
    while (fromVersions != null && Manifests.resolve(fromVersions.object()).winner() == null) {
      versions.advance();
      fromVersions = versions.current();
    }
    if (fromLegacy == null && fromVersions == null) {
      return null;
    }
    boolean takeVersions = fromLegacy == null
        || (fromVersions != null && compareUtf8(fromVersions.key(), fromLegacy.key()) < 0);
    KeyPage.ListedKey chosen = takeVersions ? fromVersions : fromLegacy;
    Manifest manifest = Manifests.resolve(chosen.object()).winner();
    return new Entry(manifest.key(), manifest, takeVersions ? versions : legacy);
  }

  private static boolean isCopyOrGone(Manifest manifest) {
    return manifest == null || manifest.versioned();
  }

  /** The common prefix {@code key} rolls up into, or null when it is listed itself. */
  private String commonPrefix(String key) {
    if (query.delimiter().isEmpty() || !key.startsWith(query.prefix())) {
      return null;
    }
    int at = key.indexOf(query.delimiter(), query.prefix().length());
    return at < 0 ? null : key.substring(0, at + query.delimiter().length());
  }

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private record Entry(String key, Manifest manifest, Source source) {}

  /** One KV bucket under the query's prefix, a store page at a time. */
  private final class Source {
    private final String bucket;
    private final int pageKeys;
    private List<KeyPage.ListedKey> page = List.of();
    private int index;
    private boolean more;
    private String resumeAfter;

    Source(String bucket, int pageKeys) {
      this.bucket = bucket;
      this.pageKeys = pageKeys;
    }

    /** Positions at the first key after {@code after} (null: the prefix's first). */
    void seek(String after) {
      fetch(after == null || compareUtf8(after, query.prefix()) < 0 ? null : after);
    }

    KeyPage.ListedKey current() {
      return index < page.size() ? page.get(index) : null;
    }

    void advance() {
      index++;
      if (index >= page.size() && more) {
        fetch(resumeAfter);
      }
    }

    private void fetch(String after) {
      String from = after;
      // A page may come back empty but truncated when it only met deleted keys: go on from there.
      for (int pages = 0; pages < 1_000; pages++) {
        KeyPage fetched = kv.listPage(bucket, query.prefix(), from, pageKeys);
        page = fetched.keys();
        index = 0;
        more = fetched.truncated() && fetched.resumeAfter() != null;
        resumeAfter = fetched.resumeAfter();
        if (!page.isEmpty() || !more) {
          return;
        }
        from = resumeAfter;
      }
      throw new IllegalStateException("a version listing of " + bucket + " made no progress in 1,000 pages");
    }
  }
}
