package dev.canopy.storage.backend;

import java.time.Instant;

/** An in-progress multipart upload. */
public record UploadInfo(
    String bucket, String key, String uploadId, ObjectMetadata metadata, Instant initiated) {}
