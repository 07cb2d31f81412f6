package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectBackend;
import io.vertx.core.Future;

/**
 * Object tags. None are stored yet, so GetObjectTagging answers an existing object's empty tag
 * set (the aws CLI asks for it on every s3-to-s3 copy); every way of setting tags is answered
 * NotImplemented ({@link S3Router}, {@link RequestHeaderRules}), so no tag is ever silently lost.
 */
final class TaggingHandlers {

  private final ObjectBackend backend;

  TaggingHandlers(ObjectBackend backend) {
    this.backend = backend;
  }

  Future<Void> getObjectTagging(S3Exchange ex) {
    String bucketId = ex.bucket().id();
    return ex.blocking(() -> backend.head(bucketId, ex.target.key())).map(info -> {
      info.orElseThrow(S3Errors::noSuchKey);
      ex.sendXml(200, S3Xml.emptyTagging());
      return null;
    });
  }
}
