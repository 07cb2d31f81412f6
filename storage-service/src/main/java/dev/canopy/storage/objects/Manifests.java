package dev.canopy.storage.objects;

import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.local.Records;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads and publishes manifests. The manifests bucket allows siblings, so two writers racing on
 * one key both land; a read resolves them the same way on every node ({@link
 * Manifest#WINNER_LAST}), schedules the losers' blobs for collection and writes the winner back
 * with the context, as Riak CS does.
 *
 * <p>A write reads first and writes with that context, so it supersedes exactly the versions it
 * saw: their blobs are scheduled for collection after the leeway. Conditional writes check the
 * version read; two conditional writers racing on one key can both succeed (there is no
 * consensus among the replicas): both manifests become siblings and the newest wins at the next
 * read, which is what S3 itself promised before it offered conditional writes.
 */
final class Manifests {

  /** What a read found: the resolved version (null when none), every sibling, the context. */
  record Current(Manifest winner, List<Manifest> siblings, byte[] context) {
    Optional<String> etag() {
      return Optional.ofNullable(winner).map(Manifest::etag);
    }
  }

  private final KvCalls kv;
  private final GarbageCollector gc;

  Manifests(KvCalls kv, GarbageCollector gc) {
    this.kv = kv;
    this.gc = gc;
  }

  /** Resolves siblings without writing (a listing shows what a read would). */
  static Current resolve(FetchResult result) {
    List<Manifest> siblings = result.siblings().stream().filter(c -> !c.deleted())
        .map(Content::value).map(v -> Records.decode(v, Manifest.class)).toList();
    Manifest winner = siblings.stream().max(Manifest.WINNER_LAST).orElse(null);
    return new Current(winner, siblings, result.context());
  }

  /** The current version; siblings are resolved, their losers scheduled and the winner written back. */
  Current read(String namespace, String key) {
    String bucket = KvLayout.manifests(namespace);
    Current current = resolve(kv.get(bucket, key));
    if (current.siblings().size() < 2) {
      return current;
    }
    scheduleReplaced(namespace, key, current, current.winner());
    byte[] context = kv.put(bucket, key, current.context(), Records.encode(current.winner()));
    return new Current(current.winner(), List.of(current.winner()), context);
  }

  /** Makes {@code next} the key's version, replacing every version {@code seen} saw. */
  void publish(String namespace, String key, Current seen, Manifest next) {
    allowSiblings(KvLayout.manifests(namespace));
    // Scheduled before the write, so that a crash between the two cannot leak the old blobs; if
    // the write fails, the collector finds the old manifest still naming them and keeps them.
    scheduleReplaced(namespace, key, seen, next);
    kv.put(KvLayout.manifests(namespace), key, seen.context(), Records.encode(next));
  }

  /** Deletes the key's version; false when there was none. */
  boolean remove(String namespace, String key) {
    return removeIf(namespace, key, winner -> true);
  }

  /**
   * Deletes the key's version if {@code accepted} holds for it; false otherwise. The delete carries
   * the context of the read that was judged, so a version written meanwhile survives as a sibling
   * and wins the next read: only the judged version is removed.
   */
  boolean removeIf(String namespace, String key, java.util.function.Predicate<Manifest> accepted) {
    Current seen = read(namespace, key);
    if (seen.winner() == null || !accepted.test(seen.winner())) {
      return false;
    }
    removeSeen(namespace, key, seen);
    return true;
  }

  /** Deletes the versions {@code seen} saw (a version written since survives as a sibling). */
  void removeSeen(String namespace, String key, Current seen) {
    scheduleReplaced(namespace, key, seen, null);
    kv.delete(KvLayout.manifests(namespace), key, seen.context());
  }

  /**
   * Schedules the blobs of every version seen that {@code kept} does not name. A manifest with a
   * version id is a copy of an entry of the versions bucket, which still holds its blobs: they are
   * scheduled when that version is deleted ({@link KvVersions}), never here.
   */
  private void scheduleReplaced(String namespace, String key, Current seen, Manifest kept) {
    String bucket = KvLayout.manifests(namespace);
    seen.siblings().stream()
        .filter(m -> !m.versioned())
        .flatMap(m -> m.segments().stream())
        .filter(segment -> kept == null || !kept.holds(segment.blob()))
        .distinct()
        .sorted(Comparator.comparing(Manifest.Segment::blob))
        .forEach(segment -> gc.schedule(segment, bucket, key, false));
  }

  /**
   * Sets allow_mult on a KV bucket once (the ring carries it to every node): the manifests of a
   * namespace, and the GC bucket, where two writers may schedule the same blob.
   */
  void allowSiblings(String bucket) {
    BucketProps props = kv.service().props(bucket);
    if (!props.allowMult()) {
      kv.setProps(bucket, new BucketProps(
          props.nVal(), props.r(), props.w(), props.dw(), props.pr(), props.pw(), true, false));
    }
  }
}
