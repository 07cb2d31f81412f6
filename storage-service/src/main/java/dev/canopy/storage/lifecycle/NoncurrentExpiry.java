package dev.canopy.storage.lifecycle;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.VersionsPage;
import dev.canopy.storage.backend.VersionsQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A versioned bucket's NoncurrentVersionExpiration and ExpiredObjectDeleteMarker rules, applied
 * once: walks ListObjectVersions under the rules' prefixes, one key's versions (newest first) at
 * a time, removes for good the noncurrent versions that are due, then a delete marker left as its
 * key's only version.
 *
 * <p>A version is noncurrent from its successor's Last-Modified. Before each removal the key's
 * latest version is read again, and a version that has become latest (its successors removed
 * meanwhile by a client) is kept; two nodes removing the same version both succeed, as removing a
 * version that is gone is not an error. Blocking: run it on a worker.
 */
final class NoncurrentExpiry {

  private final ObjectBackend backend;
  private final String bucket;
  private final LifecyclePlan plan;
  private long removed;

  private NoncurrentExpiry(ObjectBackend backend, String bucket, LifecyclePlan plan) {
    this.backend = backend;
    this.bucket = bucket;
    this.plan = plan;
  }

  /** Versions and delete markers removed. */
  static long apply(ObjectBackend backend, String bucket, LifecyclePlan plan) {
    NoncurrentExpiry run = new NoncurrentExpiry(backend, bucket, plan);
    for (String prefix : plan.versionPrefixes()) {
      run.walk(prefix);
    }
    return run.removed;
  }

  private void walk(String prefix) {
    List<ObjectVersion> versionsOfKey = new ArrayList<>();
    String keyMarker = "";
    String versionIdMarker = "";
    while (true) {
      VersionsPage page = backend.listVersions(bucket,
          new VersionsQuery(prefix, "", keyMarker, versionIdMarker, LifecycleExecutor.PAGE_SIZE));
      for (ObjectVersion version : page.versions()) {
        if (!versionsOfKey.isEmpty() && !versionsOfKey.get(0).key().equals(version.key())) {
          applyToKey(versionsOfKey);
          versionsOfKey.clear();
        }
        versionsOfKey.add(version); // a key's versions may run over several pages
      }
      if (!page.truncated()) {
        applyToKey(versionsOfKey);
        return;
      }
      keyMarker = page.nextKeyMarker();
      versionIdMarker = page.nextVersionIdMarker();
    }
  }

  /** {@code versions}: all of one key's, newest first. */
  private void applyToKey(List<ObjectVersion> versions) {
    if (versions.isEmpty()) {
      return;
    }
    int left = versions.size();
    int noncurrentNewer = 0;
    for (int i = 1; i < versions.size(); i++) {
      // A noncurrent delete marker counts as a noncurrent version, and goes as one.
      ObjectVersion version = versions.get(i);
      if (due(version, versions.get(i - 1), noncurrentNewer) && removeUnlessLatest(version)) {
        left--;
      } else {
        noncurrentNewer++;
      }
    }
    ObjectVersion latest = versions.get(0);
    if (left == 1 && latest.deleteMarker() && plan.removesExpiredMarker(latest.key())) {
      removeUnlessReplaced(latest);
    }
  }

  private boolean due(ObjectVersion version, ObjectVersion successor, int noncurrentNewer) {
    if (!plan.expiresNoncurrent(version.key(), version.size(), null, successor.lastModified(), noncurrentNewer)) {
      return false;
    }
    if (!plan.versionRulesNameTags()) {
      return true;
    }
    Map<String, String> tags = version.deleteMarker()
        ? Map.of()
        : backend.head(bucket, version.key(), version.versionId()).map(info -> info.metadata().tags()).orElse(null);
    return tags != null
        && plan.expiresNoncurrent(version.key(), version.size(), tags, successor.lastModified(), noncurrentNewer);
  }

  /** A noncurrent version is removed only while it is not its key's latest (see the class comment). */
  private boolean removeUnlessLatest(ObjectVersion version) {
    return !isLatest(version) && remove(version);
  }

  /** The marker is removed only while it is still the key's latest version (nothing written since). */
  private boolean removeUnlessReplaced(ObjectVersion marker) {
    return isLatest(marker) && remove(marker);
  }

  private boolean isLatest(ObjectVersion version) {
    return backend.latestVersion(bucket, version.key())
        .map(latest -> latest.versionId().equals(version.versionId())).orElse(false);
  }

  private boolean remove(ObjectVersion version) {
    backend.deleteVersion(bucket, version.key(), version.versionId());
    removed++;
    return true;
  }
}
