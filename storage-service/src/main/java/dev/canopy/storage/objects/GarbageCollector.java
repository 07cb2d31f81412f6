package dev.canopy.storage.objects;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.local.Records;
import java.time.InstantSource;
import java.util.List;

/**
 * The GC bucket's records and the collector that acts on them. Every blob ever written is either
 * named by a manifest or a part, or has a record here (written before its first chunk), so
 * nothing leaks across a crash; a record never deletes a blob its owner still names, so nothing
 * acknowledged is lost when a commit died between publishing and releasing its record.
 *
 * <p>Safe to run on several nodes at once: deleting a chunk or a record twice is harmless, and a
 * record's owner is read before its chunks go.
 */
final class GarbageCollector {

  /** Bounds one {@link #collect()} run; the rest waits for the next. */
  static final int RECORDS_PER_RUN_MAX = 10_000;
  private static final int PAGE_KEYS = 100;
  /** No blob is larger than a 5 GiB PUT or part: the probe of a blob of unknown length stops there. */
  private static final long BLOB_BYTES_MAX = 5L * 1024 * 1024 * 1024;

  /** Aborts an expired multipart upload (parts scheduled here, records deleted). */
  interface UploadAborter {
    /** False when the upload no longer exists. */
    boolean abortExpired(String namespace, String key, String uploadId);
  }

  private final KvCalls kv;
  private final InstantSource clock;
  private final ObjectStoreSettings settings;
  private UploadAborter aborter = (ns, key, id) -> false;

  GarbageCollector(KvCalls kv, InstantSource clock, ObjectStoreSettings settings) {
    this.kv = kv;
    this.clock = clock;
    this.settings = settings;
  }

  void onExpiredUpload(UploadAborter aborter) {
    this.aborter = aborter;
  }

  // ---- scheduling ----

  /** A blob about to get its first chunk; returns the record's context for its later updates. */
  byte[] pending(String blobId, byte[] context) {
    long due = clock.millis() + settings.abandonedWriteTimeout().toMillis();
    return kv.put(KvLayout.GC, KvLayout.blobGc(blobId), context, Records.encode(GcRecord.pendingBlob(blobId, due)));
  }

  /** Names the record that will hold a blob, before that record is written. */
  byte[] claim(String blobId, int chunks, byte[] context, String ownerBucket, String ownerKey, boolean ownerIsPart) {
    long due = clock.millis() + settings.abandonedWriteTimeout().toMillis();
    return kv.put(KvLayout.GC, KvLayout.blobGc(blobId), context,
        Records.encode(GcRecord.blob(blobId, chunks, due, ownerBucket, ownerKey, ownerIsPart)));
  }

  /** The blob's owner is durable: its record is no longer needed. */
  void release(String blobId, byte[] context) {
    kv.delete(KvLayout.GC, KvLayout.blobGc(blobId), context);
  }

  /** An aborted blob: never visible, collected after the leeway. */
  void abandon(String blobId, int chunks, byte[] context) {
    long due = clock.millis() + settings.gcLeeway().toMillis();
    kv.put(KvLayout.GC, KvLayout.blobGc(blobId), context, Records.encode(GcRecord.blob(blobId, chunks, due, null, null, false)));
  }

  /**
   * A segment its owner no longer names (overwritten, deleted, a sibling that lost, an unused
   * part): collected after the leeway that readers who opened it before have to finish, unless
   * the owner names it again by then.
   */
  void schedule(Manifest.Segment segment, String ownerBucket, String ownerKey, boolean ownerIsPart) {
    long due = clock.millis() + settings.gcLeeway().toMillis();
    // A blind write: a sibling beside any record of the same blob, all of which the collector reads.
    kv.put(KvLayout.GC, KvLayout.blobGc(segment.blob()), null,
        Records.encode(GcRecord.blob(segment.blob(), segment.chunks(), due, ownerBucket, ownerKey, ownerIsPart)));
  }

  void expireUpload(String namespace, String key, String uploadId, long initiatedMs) {
    long due = initiatedMs + settings.uploadExpiry().toMillis();
    kv.put(KvLayout.GC, KvLayout.uploadGc(uploadId), null, Records.encode(GcRecord.upload(namespace, key, uploadId, due)));
  }

  void forgetUpload(String uploadId) {
    kv.delete(KvLayout.GC, KvLayout.uploadGc(uploadId), null);
  }

  // ---- collecting ----

  GcReport collect() {
    long now = clock.millis();
    int blobs = 0;
    int chunks = 0;
    int uploads = 0;
    int released = 0;
    int seen = 0;
    String after = null;
    boolean more = true;
    while (more && seen < RECORDS_PER_RUN_MAX) {
      KeyPage page = kv.listPage(KvLayout.GC, "", after, PAGE_KEYS);
      for (KeyPage.ListedKey listed : page.keys()) {
        seen++;
        List<GcRecord> records = decode(listed.object());
        if (records.isEmpty() || records.stream().anyMatch(r -> r.dueMs() > now)) {
          continue;
        }
        byte[] context = listed.object().context();
        GcRecord first = records.get(0);
        if (!first.isBlob()) {
          if (aborter.abortExpired(first.namespace(), first.key(), first.uploadId())) {
            uploads++;
          }
          kv.delete(KvLayout.GC, listed.key(), context);
          continue;
        }
        if (records.stream().anyMatch(this::ownerHolds)) {
          kv.delete(KvLayout.GC, listed.key(), context);
          released++;
          continue;
        }
        chunks += deleteChunks(first.blob(), records);
        kv.delete(KvLayout.GC, listed.key(), context);
        blobs++;
      }
      more = page.truncated() && page.resumeAfter() != null;
      after = page.resumeAfter();
    }
    return new GcReport(blobs, chunks, uploads, released);
  }

  private static List<GcRecord> decode(FetchResult object) {
    return object.siblings().stream().filter(c -> !c.deleted())
        .map(Content::value).map(v -> Records.decode(v, GcRecord.class)).toList();
  }

  private boolean ownerHolds(GcRecord record) {
    if (!record.hasOwner()) {
      return false;
    }
    FetchResult owner = kv.get(record.ownerBucket(), record.ownerKey());
    for (Content c : owner.siblings()) {
      if (c.deleted()) {
        continue;
      }
      boolean holds = record.ownerIsPart()
          ? Records.decode(c.value(), PartRecord.class).segment().blob().equals(record.blob())
          : Records.decode(c.value(), Manifest.class).holds(record.blob());
      if (holds) {
        return true;
      }
    }
    String namespace = record.ownerIsPart() ? null : KvLayout.namespaceOfManifests(record.ownerBucket());
    // A version kept in the versions bucket (a noncurrent one, or one whose publication to the
    // manifests died) still names blobs that its key's manifest no longer does.
    return namespace != null && KvVersions.versionsOf(kv, namespace, record.ownerKey())
        .anyMatch(version -> version.holds(record.blob()));
  }

  /** Deletes the blob's chunks; with a length unknown (a crashed upload), in order until one is missing. */
  private int deleteChunks(String blobId, List<GcRecord> records) {
    boolean unknown = records.stream().anyMatch(r -> r.chunks() == GcRecord.CHUNKS_UNKNOWN);
    if (!unknown) {
      int count = records.stream().mapToInt(GcRecord::chunks).max().orElse(0);
      for (int i = 0; i < count; i++) {
        kv.delete(KvLayout.CHUNKS, KvLayout.chunk(blobId, i), null);
      }
      return count;
    }
    long probesMax = BLOB_BYTES_MAX / settings.chunkBytes() + 2;
    int deleted = 0;
    for (int i = 0; i < probesMax; i++) {
      FetchResult chunk = kv.get(KvLayout.CHUNKS, KvLayout.chunk(blobId, i));
      if (!chunk.found()) {
        return deleted;
      }
      kv.delete(KvLayout.CHUNKS, KvLayout.chunk(blobId, i), chunk.context());
      deleted++;
    }
    return deleted;
  }
}
