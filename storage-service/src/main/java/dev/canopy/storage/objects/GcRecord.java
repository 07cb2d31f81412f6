package dev.canopy.storage.objects;

/**
 * Something the collector must look at once {@code dueMs} has passed, one KV value in the GC
 * bucket (siblings allowed: two writers may schedule the same blob).
 *
 * <ul>
 *   <li>A blob ({@code blob} set): delete its chunks unless the record at {@code ownerBucket}/
 *       {@code ownerKey} (a manifest, or a part when {@code ownerIsPart}) still names it. A blob
 *       being written has no owner yet and {@code chunks} -1 (unknown: the collector deletes
 *       chunks in order until one is missing); its commit names the owner before publishing.
 *   <li>An upload ({@code uploadId} set): abort it if it still exists.
 * </ul>
 */
record GcRecord(
    String blob,
    int chunks,
    long dueMs,
    String ownerBucket,
    String ownerKey,
    boolean ownerIsPart,
    String namespace,
    String key,
    String uploadId) {

  static final int CHUNKS_UNKNOWN = -1;

  static GcRecord pendingBlob(String blob, long dueMs) {
    return new GcRecord(blob, CHUNKS_UNKNOWN, dueMs, null, null, false, null, null, null);
  }

  static GcRecord blob(String blob, int chunks, long dueMs, String ownerBucket, String ownerKey, boolean ownerIsPart) {
    return new GcRecord(blob, chunks, dueMs, ownerBucket, ownerKey, ownerIsPart, null, null, null);
  }

  static GcRecord upload(String namespace, String key, String uploadId, long dueMs) {
    return new GcRecord(null, 0, dueMs, null, null, false, namespace, key, uploadId);
  }

  boolean isBlob() {
    return blob != null;
  }

  boolean hasOwner() {
    return ownerBucket != null;
  }
}
