package dev.canopy.storage.lifecycle;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.UploadsPage;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every bucket's lifecycle rules once: finds the buckets with configuration documents
 * ({@link ObjectBackend#configuredBuckets}), and in each one with enabled rules deletes the current
 * versions that have expired (in a versioned bucket: puts a delete marker over them), aborts the
 * multipart uploads that are due, and removes noncurrent versions and lone delete markers as the
 * rules say ({@link NoncurrentExpiry}).
 *
 * <p>Safe to run on several storage nodes at once, and again after a crash: each delete is
 * conditional ({@link ObjectBackend#deleteIf}) on the version being the one listed (same ETag,
 * size and Last-Modified) and on the rules still expiring it, tags included, judged on the version
 * deleted; so an object overwritten or re-tagged after the listing is never deleted, and a second
 * node deleting the same object finds nothing to do. An abort of an upload already completed or
 * aborted elsewhere is skipped. Blocking: run it on a worker.
 */
public final class LifecycleExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleExecutor.class);
  /** Buckets, keys and uploads read per page. */
  static final int PAGE_SIZE = ListQuery.KEYS_PER_LISTING_MAX;

  private final ObjectBackend backend;
  private final InstantSource clock;

  /** @param clock the wall clock objects' ages are measured on */
  public LifecycleExecutor(ObjectBackend backend, InstantSource clock) {
    this.backend = backend;
    this.clock = clock;
  }

  public LifecycleReport runOnce() {
    Instant now = clock.instant();
    int buckets = 0;
    int failed = 0;
    long expired = 0;
    long aborted = 0;
    long versionsRemoved = 0;
    String after = "";
    while (true) {
      var page = backend.configuredBuckets(after, PAGE_SIZE);
      for (String bucket : page) {
        try {
          java.util.Map<String, String> documents = backend.bucketConfig(bucket);
          String document = documents.get(LifecycleConfiguration.DOCUMENT);
          if (document == null) {
            continue;
          }
          LifecyclePlan plan = new LifecyclePlan(LifecycleConfiguration.fromJson(document), now);
          if (!plan.actsAtAll()) {
            continue;
          }
          buckets++;
          // In a versioned bucket, expiring the current version adds a delete marker, as on AWS.
          Versioning mode = Versioning.ofDocument(documents.get(Versioning.DOCUMENT));
          ObjectBackend writes = mode == Versioning.UNVERSIONED ? backend : backend.versioned(mode);
          expired += plan.expiresAny() ? expire(writes, bucket, plan) : 0;
          aborted += plan.abortsAny() ? abort(bucket, plan) : 0;
          // Suspended buckets keep their versions too: their noncurrent ones still expire.
          versionsRemoved += plan.actsOnVersions() && mode != Versioning.UNVERSIONED
              ? NoncurrentExpiry.apply(writes, bucket, plan) : 0;
        } catch (RuntimeException e) {
          // One bucket's failure (a store outage) must not stop the others; the next run retries.
          failed++;
          LOG.warn("lifecycle rules of bucket {} not applied this run: {}", bucket, e.toString());
        }
      }
      if (page.size() < PAGE_SIZE) {
        return new LifecycleReport(buckets, expired, aborted, versionsRemoved, failed);
      }
      after = page.get(page.size() - 1);
    }
  }

  private long expire(ObjectBackend writes, String bucket, LifecyclePlan plan) {
    long deleted = 0;
    for (String prefix : plan.expiringPrefixes()) {
      deleted += expireUnder(writes, bucket, prefix, plan);
    }
    return deleted;
  }

  private long expireUnder(ObjectBackend writes, String bucket, String prefix, LifecyclePlan plan) {
    long deleted = 0;
    String startAfter = "";
    while (true) {
      ListPage page = backend.list(bucket, new ListQuery(prefix, "", startAfter, PAGE_SIZE));
      for (ObjectSummary listed : page.contents()) {
        if (plan.mayExpire(listed)
            && writes.deleteIf(bucket, listed.key(), current -> sameVersion(current, listed) && plan.expires(current))) {
          deleted++;
        }
      }
      if (!page.truncated()) {
        return deleted;
      }
      startAfter = page.lastItem();
    }
  }

  private static boolean sameVersion(ObjectInfo current, ObjectSummary listed) {
    return current.etag().equals(listed.etag()) && current.size() == listed.size()
        && current.lastModified().equals(listed.lastModified());
  }

  private long abort(String bucket, LifecyclePlan plan) {
    long aborted = 0;
    String keyMarker = "";
    String uploadIdMarker = "";
    while (true) {
      UploadsPage page = backend.listUploads(bucket, "", keyMarker, uploadIdMarker, PAGE_SIZE);
      for (UploadInfo upload : page.uploads()) {
        if (plan.aborts(upload)) {
          try {
            backend.abortUpload(bucket, upload.key(), upload.uploadId());
            aborted++;
          } catch (AwsException e) {
            // NoSuchUpload: completed or aborted since it was listed (by its client, or another node).
          }
        }
      }
      if (!page.truncated()) {
        return aborted;
      }
      keyMarker = page.nextKeyMarker();
      uploadIdMarker = page.nextUploadIdMarker();
    }
  }
}
