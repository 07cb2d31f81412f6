package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.s3.access.AccessControlList;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Get/Put Bucket ACL and Object ACL ({@code ?acl}). A bucket's ACL is its {@code acl}
 * configuration document, an object's lives in its metadata; both in
 * {@link AccessControlList#toText} form, absent when private. PUT takes a canned ACL, grant
 * headers, or an AccessControlPolicy body: exactly one of them.
 */
final class AclHandlers {

  private static final int BODY_BYTES_MAX = 64 * 1024;

  private final ObjectBackend backend;
  private final BucketConfigs configs;

  AclHandlers(ObjectBackend backend, BucketConfigs configs) {
    this.backend = backend;
    this.configs = configs;
  }

  Future<Void> getBucketAcl(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> configs.get(bucket, AccessControl.ACL_DOCUMENT).orElse(null))
        .map(text -> sendAcl(ex, bucket.ownerAccountId(), text));
  }

  Future<Void> putBucketAcl(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    String owner = bucket.ownerAccountId();
    return requestedAcl(ex, owner, true)
        .compose(acl -> ex.blocking(() -> {
          configs.set(bucket, AccessControl.ACL_DOCUMENT, acl.toText(owner));
          return null;
        }))
        .map(v -> {
          ex.sendEmpty(200);
          return null;
        });
  }

  Future<Void> getObjectAcl(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> backend.head(bucket.id(), ex.target.key()))
        .map(info -> sendAcl(ex, bucket.ownerAccountId(), info.orElseThrow(S3Errors::noSuchKey).metadata().acl()));
  }

  /** @param text the stored ACL, null when private */
  private static Void sendAcl(S3Exchange ex, String owner, String text) {
    ex.sendXml(200, AclXml.render(owner, AccessControlList.fromText(text, owner)));
    return null;
  }

  Future<Void> putObjectAcl(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    String owner = bucket.ownerAccountId();
    return requestedAcl(ex, owner, false)
        .compose(acl -> ex.blocking(() -> backend.updateMetadata(
            bucket.id(), ex.target.key(), metadata -> metadata.withAcl(acl.toText(owner)))))
        .map(v -> {
          ex.sendEmpty(200);
          return null;
        });
  }

  /** The ACL of a PUT ?acl: from its headers or its body, never both, never neither. */
  private static Future<AccessControlList> requestedAcl(S3Exchange ex, String owner, boolean forBucket) {
    Optional<AccessControlList> fromHeaders = AclHeaders.read(ex, owner, forBucket);
    return ex.readSmallBody(BODY_BYTES_MAX).map(body -> {
      if (fromHeaders.isPresent()) {
        if (body.length > 0) {
          throw new AwsException(400, "UnexpectedContent", "This request does not support content");
        }
        return fromHeaders.get();
      }
      if (body.length == 0) {
        throw new AwsException(400, "MissingSecurityHeader", "Your request was missing a required header");
      }
      return AclXml.parse(body, owner);
    });
  }
}
