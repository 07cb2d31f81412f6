package dev.canopy.storage.objects;

import dev.canopy.storage.backend.DeleteMarkerException;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.VersionDeletion;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.local.Records;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * S3 versioning on the replicated store. The manifests bucket keeps, per key, the current version
 * when it is an object (so ListObjects and a plain GET stay one read); the versions bucket ({@link
 * KvLayout#versions}) keeps every version written while the bucket was versioned, current or
 * not, and every delete marker. A manifest written while the bucket was never versioned has no
 * version id and lives in the manifests bucket only (the "legacy" null version); a versioned
 * write over it first copies it among the versions.
 *
 * <p>Order of writes: the version first, then the manifests bucket, so a crash between the two
 * leaves an unacknowledged version listed but never an acknowledged one lost; a version removed
 * for good has its blobs scheduled before its entry goes (the collector re-reads the entry).
 */
final class KvVersions {

  /** Real ids: 16 hex digits of inverted millis (newest sorts first) and 16 random ones. */
  private static final int VERSION_ID_CHARS = 32;

  private final KvCalls kv;
  private final Manifests manifests;
  private final GarbageCollector gc;
  private final InstantSource clock;
  private final Supplier<String> randomHex;

  /** @param randomHex at least 16 random hex digits per call (the injected generator) */
  KvVersions(KvCalls kv, Manifests manifests, GarbageCollector gc, InstantSource clock, Supplier<String> randomHex) {
    this.kv = kv;
    this.manifests = manifests;
    this.gc = gc;
    this.clock = clock;
    this.randomHex = randomHex;
  }

  /** True for the ids this store hands out ("null" included); anything else is InvalidArgument. */
  static boolean wellFormed(String versionId) {
    return versionId.equals(ObjectVersion.NULL_ID)
        || (versionId.length() == VERSION_ID_CHARS && versionId.chars().allMatch(c -> Character.digit(c, 16) >= 0
            && !Character.isUpperCase(c)));
  }

  /** The position of a version among its key's: a real id is its own sort key (it starts with the time). */
  static String sortKey(Manifest version) {
    return version.versionId().equals(ObjectVersion.NULL_ID)
        ? invertedMillis(version.lastModifiedMs()) + ObjectVersion.NULL_ID : version.versionId();
  }

  private static String invertedMillis(long millis) {
    return String.format("%016x", Long.MAX_VALUE - millis);
  }

  /**
   * Makes {@code next} the key's current version as {@code mode} says, replacing the versions
   * {@code seen} saw in the manifests bucket; returns it with its version id.
   */
  Manifest publish(String namespace, String key, Manifests.Current seen, Manifest next, Versioning mode) {
    switch (mode) {
      case UNVERSIONED -> {
        manifests.publish(namespace, key, seen, next);
        return next;
      }
      case ENABLED -> {
        long millis = after(seen, next.lastModifiedMs());
        Manifest stored = next.asVersion(newVersionId(millis), millis);
        keepLegacy(namespace, seen);
        put(namespace, stored);
        manifests.publish(namespace, key, seen, stored);
        return stored;
      }
      case SUSPENDED -> {
        Manifest stored = next.asVersion(ObjectVersion.NULL_ID, after(seen, next.lastModifiedMs()));
        List<Manifest> replaced = nullVersions(namespace, key);
        put(namespace, stored);
        // A legacy version seen is the null version replaced: publish schedules its blobs.
        manifests.publish(namespace, key, seen, stored);
        replaced.forEach(old -> remove(namespace, old));
        return stored;
      }
      default -> throw new IllegalStateException("unknown versioning " + mode);
    }
  }

  /** DELETE without a version id: a delete marker (Enabled: a new one; Suspended: the null version). */
  VersionDeletion delete(String namespace, String key, Versioning mode) {
    if (mode == Versioning.UNVERSIONED) {
      manifests.remove(namespace, key);
      return VersionDeletion.UNVERSIONED;
    }
    return addMarker(namespace, key, manifests.read(namespace, key), mode);
  }

  /**
   * Lifecycle expiration in a versioned bucket: a delete marker over the current version if
   * {@code accepted} holds for it (judged on the version read); false otherwise.
   */
  boolean deleteIf(String namespace, String key, Versioning mode, java.util.function.Predicate<Manifest> accepted) {
    if (mode == Versioning.UNVERSIONED) {
      return manifests.removeIf(namespace, key, accepted);
    }
    Manifests.Current seen = manifests.read(namespace, key);
    if (seen.winner() == null || !accepted.test(seen.winner())) {
      return false;
    }
    addMarker(namespace, key, seen, mode);
    return true;
  }

  private VersionDeletion addMarker(String namespace, String key, Manifests.Current seen, Versioning mode) {
    long millis = after(seen, clock.millis());
    String tieBreak = randomHex.get();
    List<Manifest> replaced = List.of();
    Manifest marker;
    if (mode == Versioning.ENABLED) {
      keepLegacy(namespace, seen);
      marker = Manifest.marker(key, millis, tieBreak, newVersionId(millis));
    } else {
      replaced = nullVersions(namespace, key);
      marker = Manifest.marker(key, millis, tieBreak, ObjectVersion.NULL_ID);
    }
    put(namespace, marker);
    if (seen.winner() != null) {
      manifests.removeSeen(namespace, key, seen);
    }
    replaced.forEach(old -> remove(namespace, old));
    return new VersionDeletion(marker.versionId(), true);
  }

  /** DELETE {@code ?versionId=}: that version goes for good; the next newest becomes current. */
  VersionDeletion deleteVersion(String namespace, String key, String versionId) {
    if (!wellFormed(versionId)) {
      throw StorageErrors.invalidVersionId();
    }
    Manifests.Current seen = manifests.read(namespace, key);
    Manifest legacy = legacy(seen);
    if (versionId.equals(ObjectVersion.NULL_ID) && legacy != null) {
      manifests.removeSeen(namespace, key, seen);
      return new VersionDeletion(versionId, false);
    }
    List<Manifest> newest = versionsOf(kv, namespace, key).limit(2).toList();
    Manifest target = newest.stream().filter(m -> m.versionId().equals(versionId)).findFirst()
        .orElseGet(() -> stored(namespace, key, versionId));
    if (target == null) {
      return new VersionDeletion(versionId, false);
    }
    if (legacy == null && newest.get(0) == target) {
      // The current version goes: the next newest takes its place (or none, behind a marker).
      Manifest next = newest.size() > 1 ? newest.get(1) : null;
      if (next != null && !next.deleteMarker()) {
        manifests.publish(namespace, key, seen, next);
      } else if (seen.winner() != null) {
        manifests.removeSeen(namespace, key, seen);
      }
    }
    remove(namespace, target);
    return new VersionDeletion(versionId, target.deleteMarker());
  }

  /** One version by id; throws {@link DeleteMarkerException} for a marker's id. */
  Optional<Manifest> find(String namespace, String key, String versionId) {
    if (!wellFormed(versionId)) {
      throw StorageErrors.invalidVersionId();
    }
    Manifest legacy = versionId.equals(ObjectVersion.NULL_ID) ? legacy(manifests.read(namespace, key)) : null;
    Optional<Manifest> found = Optional.ofNullable(legacy != null ? legacy : stored(namespace, key, versionId));
    if (found.isPresent() && found.get().deleteMarker()) {
      throw new DeleteMarkerException(found.get().versionId());
    }
    return found;
  }

  /** The key's newest version (its legacy one, or the first of its versions); empty when none. */
  Optional<Manifest> latest(String namespace, String key) {
    Manifest legacy = legacy(manifests.read(namespace, key));
    if (legacy != null) {
      return Optional.of(legacy);
    }
    KeyPage page = kv.listPage(KvLayout.versions(namespace), KvLayout.versionPrefix(key), null, 1);
    return page.keys().stream().map(listed -> Manifests.resolve(listed.object()).winner())
        .filter(java.util.Objects::nonNull).findFirst();
  }

  /** True when the namespace keeps any version or delete marker. */
  boolean any(String namespace) {
    return !kv.listPage(KvLayout.versions(namespace), "", null, 1).keys().isEmpty();
  }

  /** The key's versions in the versions bucket, newest first, read as they are consumed ({@link KeyVersionScan}). */
  static Stream<Manifest> versionsOf(KvCalls kv, String namespace, String key) {
    return KeyVersionScan.of(kv, namespace, key);
  }

  /** The version {@code versionId} of the versions bucket, or null: the null version is found by a scan. */
  private Manifest stored(String namespace, String key, String versionId) {
    if (versionId.equals(ObjectVersion.NULL_ID)) {
      return versionsOf(kv, namespace, key).filter(m -> m.versionId().equals(versionId)).findFirst().orElse(null);
    }
    return Manifests.resolve(kv.get(KvLayout.versions(namespace), KvLayout.versionKey(key, versionId))).winner();
  }

  /** Rewrites one version's entry (its metadata changed); the key and sort key stay. */
  void rewrite(String namespace, Manifest version) {
    put(namespace, version);
  }

  /**
   * A new version's time: now, or just after the version it replaces when that one has the same
   * millisecond (or a later one from a clock ahead), so that versions sort in the order written.
   */
  private static long after(Manifests.Current seen, long nowMs) {
    return seen.winner() == null ? nowMs : Math.max(nowMs, seen.winner().lastModifiedMs() + 1);
  }

  /** The current version when it was written before the bucket was versioned, else null. */
  private static Manifest legacy(Manifests.Current seen) {
    return seen.winner() != null && !seen.winner().versioned() ? seen.winner() : null;
  }

  /** Copies a legacy current version among the versions, as the null version, before it becomes noncurrent. */
  private void keepLegacy(String namespace, Manifests.Current seen) {
    Manifest legacy = legacy(seen);
    if (legacy != null) {
      put(namespace, legacy.withVersionId(ObjectVersion.NULL_ID));
    }
  }

  private List<Manifest> nullVersions(String namespace, String key) {
    return versionsOf(kv, namespace, key).filter(m -> m.versionId().equals(ObjectVersion.NULL_ID)).toList();
  }

  private void put(String namespace, Manifest version) {
    kv.put(KvLayout.versions(namespace), KvLayout.versionKey(version.key(), sortKey(version)), null,
        Records.encode(version));
  }

  /** Removes a version for good: its blobs scheduled first, so a crash between the two leaks nothing. */
  private void remove(String namespace, Manifest version) {
    String bucket = KvLayout.versions(namespace);
    String entry = KvLayout.versionKey(version.key(), sortKey(version));
    version.segments().forEach(segment -> gc.schedule(segment, bucket, entry, false));
    kv.delete(bucket, entry, null);
  }

  private String newVersionId(long millis) {
    return invertedMillis(millis) + randomHex.get().substring(0, VERSION_ID_CHARS - 16);
  }
}
