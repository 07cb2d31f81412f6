package dev.canopy.storage.objects;

import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.UploadInfo;
import java.time.Instant;

/** An in-progress multipart upload, one KV value in the namespace's uploads bucket. */
record UploadRecord(String namespace, String key, String uploadId, ObjectMetadata metadata, long initiatedMs) {

  UploadInfo info() {
    return new UploadInfo(namespace, key, uploadId, metadata, Instant.ofEpochMilli(initiatedMs));
  }
}
