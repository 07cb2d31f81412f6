package dev.canopy.storage.lifecycle;

/**
 * What one run of the executor did.
 *
 * @param buckets buckets whose lifecycle rules were applied
 * @param objectsExpired current versions deleted
 * @param uploadsAborted multipart uploads aborted
 * @param versionsRemoved noncurrent versions and expired delete markers removed for good
 * @param bucketsFailed buckets left for the next run after a store failure
 */
public record LifecycleReport(
    int buckets, long objectsExpired, long uploadsAborted, long versionsRemoved, int bucketsFailed) {}
