package dev.canopy.storage.lifecycle;

/**
 * What one run of the executor did.
 *
 * @param buckets buckets whose lifecycle rules were applied
 * @param objectsExpired current versions deleted
 * @param uploadsAborted multipart uploads aborted
 * @param bucketsFailed buckets left for the next run after a store failure
 */
public record LifecycleReport(int buckets, long objectsExpired, long uploadsAborted, int bucketsFailed) {}
