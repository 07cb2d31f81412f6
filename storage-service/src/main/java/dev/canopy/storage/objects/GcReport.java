package dev.canopy.storage.objects;

/**
 * What one {@link KvObjectBackend#collectGarbage()} run did.
 *
 * @param blobsCollected blobs whose chunks were deleted
 * @param chunksDeleted chunks deleted in all
 * @param uploadsAborted multipart uploads aborted for their age
 * @param recordsReleased records dropped because their blob's owner still names it
 */
public record GcReport(int blobsCollected, int chunksDeleted, int uploadsAborted, int recordsReleased) {}
