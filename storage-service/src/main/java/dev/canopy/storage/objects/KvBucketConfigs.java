package dev.canopy.storage.objects;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.local.Records;
import java.time.InstantSource;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration documents of every bucket (policy, CORS, tags, lifecycle...), one KV value
 * per bucket id in {@link KvLayout#BUCKET_CONFIGS}. The value maps each document's name to its
 * text and the time it was set, a removal kept as an entry without text; the bucket allows
 * siblings, and siblings merge document by document, the newest setting winning. So two
 * configuration calls racing on one bucket at two storage nodes both land when they set
 * different documents, and every node picks the same winner when they set the same one.
 */
final class KvBucketConfigs {

  /** One document's latest setting; {@code text} null when it was removed. */
  record Entry(String text, long setAtMs) {}

  /** The stored value: document name → its latest setting. */
  record Stored(Map<String, Entry> documents) {
    Stored {
      documents = documents == null ? Map.of() : Map.copyOf(documents);
    }
  }

  private final KvCalls kv;
  private final Manifests manifests;
  private final InstantSource clock;

  KvBucketConfigs(KvCalls kv, Manifests manifests, InstantSource clock) {
    this.kv = kv;
    this.manifests = manifests;
    this.clock = clock;
  }

  Map<String, String> read(String namespace) {
    Map<String, String> documents = new TreeMap<>();
    merged(kv.get(KvLayout.BUCKET_CONFIGS, namespace)).forEach((name, entry) -> {
      if (entry.text() != null) {
        documents.put(name, entry.text());
      }
    });
    return documents;
  }

  void set(String namespace, String name, String text) {
    manifests.allowSiblings(KvLayout.BUCKET_CONFIGS);
    FetchResult current = kv.get(KvLayout.BUCKET_CONFIGS, namespace);
    Map<String, Entry> documents = new TreeMap<>(merged(current));
    long previous = documents.containsKey(name) ? documents.get(name).setAtMs() : Long.MIN_VALUE;
    // Never older than what it replaces, so a node whose clock lags still wins with the newer call.
    documents.put(name, new Entry(text, Math.max(clock.millis(), previous + 1)));
    kv.put(KvLayout.BUCKET_CONFIGS, namespace, current.context(), Records.encode(new Stored(documents)));
  }

  private static Map<String, Entry> merged(FetchResult result) {
    Map<String, Entry> documents = new TreeMap<>();
    for (Content sibling : result.siblings()) {
      if (sibling.deleted()) {
        continue;
      }
      Records.decode(sibling.value(), Stored.class).documents().forEach((name, entry) ->
          documents.merge(name, entry, KvBucketConfigs::newer));
    }
    return documents;
  }

  private static Entry newer(Entry a, Entry b) {
    if (a.setAtMs() != b.setAtMs()) {
      return a.setAtMs() > b.setAtMs() ? a : b;
    }
    // Same millisecond at two nodes: any fixed order, the same on every node.
    return String.valueOf(a.text()).compareTo(String.valueOf(b.text())) >= 0 ? a : b;
  }
}
