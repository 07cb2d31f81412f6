package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.StorageErrors;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Object tags: Get, Put and DeleteObjectTagging ({@code ?tagging} on a key). Tags are part of the
 * object's metadata ({@link dev.canopy.storage.backend.ObjectMetadata#tags()}), rewritten in place
 * by {@link ObjectBackend#updateMetadata}: bytes, ETag and Last-Modified stay, as on AWS.
 */
final class TaggingHandlers {

  private final ObjectBackend backend;

  TaggingHandlers(ObjectBackend backend) {
    this.backend = backend;
  }

  Future<Void> getObjectTagging(S3Exchange ex) {
    String bucketId = ex.bucket().id();
    String versionId = VersionedObjects.requested(ex);
    return ex.blocking(() -> versionId == null ? backend.head(bucketId, ex.target.key()).orElseThrow(S3Errors::noSuchKey)
        : backend.head(bucketId, ex.target.key(), versionId).orElseThrow(StorageErrors::noSuchVersion)).map(info -> {
      VersionedObjects.writeVersion(ex.response, info.versionId());
      ex.sendXml(200, TagSets.toXml(info.metadata().tags()));
      return null;
    });
  }

  Future<Void> putObjectTagging(S3Exchange ex) {
    BodyIntegrity.require(ex);
    return ex.readSmallBody(TagSets.BODY_BYTES_MAX)
        .compose(body -> rewrite(ex, TagSets.fromXml(body, TagSets.OBJECT_TAGS_MAX), 200));
  }

  Future<Void> deleteObjectTagging(S3Exchange ex) {
    return rewrite(ex, Map.of(), 204);
  }

  private Future<Void> rewrite(S3Exchange ex, Map<String, String> tags, int status) {
    String bucketId = ex.bucket().id();
    String versionId = VersionedObjects.requested(ex);
    return ex.blocking(() -> backend.updateMetadata(bucketId, ex.target.key(), versionId, metadata -> metadata.withTags(tags)))
        .map(info -> {
          VersionedObjects.writeVersion(ex.response, info.versionId());
          ex.sendEmpty(status);
          return null;
        });
  }
}
