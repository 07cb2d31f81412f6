package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;
import dev.canopy.storage.backend.DeleteOutcome;
import dev.canopy.storage.backend.ObjectBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * DeleteObjects in a versioned bucket, or naming versions: each key is deleted as DeleteObject
 * would (a marker, or the version named for good), and its outcome carries what happened.
 */
final class VersionedDeletes {

  private VersionedDeletes() {}

  /** @param writes the backend obeying the bucket's versioning state */
  static List<DeleteOutcome> deleteAll(
      S3Exchange ex, ObjectBackend writes, AccessControl access, DeleteObjectsHandler.Request request) {
    List<DeleteOutcome> outcomes = new ArrayList<>(request.keys().size());
    for (int i = 0; i < request.keys().size(); i++) {
      String key = request.keys().get(i);
      String versionId = request.versionIds().get(i);
      boolean allowed = versionId == null
          ? access.allowsKey(ex, ex.bucket(), key) : access.allowsVersion(ex, ex.bucket(), key);
      if (!allowed) {
        outcomes.add(new DeleteOutcome(key, S3Error.ACCESS_DENIED.exception(), versionId, null));
        continue;
      }
      try {
        outcomes.add(new DeleteOutcome(key, null, versionId, writes.deleteVersion(ex.bucket().id(), key, versionId)));
      } catch (AwsException e) {
        // A client error of one key (a malformed version id) fails that key only; an outage fails all.
        outcomes.add(new DeleteOutcome(key, e, versionId, null));
      }
    }
    return outcomes;
  }
}
