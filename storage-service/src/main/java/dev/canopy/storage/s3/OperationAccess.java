package dev.canopy.storage.s3;

import dev.canopy.storage.s3.access.AclNeed;
import dev.canopy.storage.s3.access.Permission;
import java.util.Optional;

/**
 * The one table from a Canopy {@link Operation} to the IAM action a bucket policy names it by and
 * to the ACL grant that lets a non-owner do it (S3's mapping of ACL permissions to actions). An
 * operation without a grant (bucket configuration, deletion of the bucket, tagging) is the owner's
 * and the policy's alone.
 */
final class OperationAccess {

  private OperationAccess() {}

  static String action(Operation operation) {
    return switch (operation) {
      case LIST_BUCKETS -> "s3:ListAllMyBuckets";
      case HEAD_BUCKET, LIST_OBJECTS, LIST_OBJECTS_V2 -> "s3:ListBucket";
      case LIST_MULTIPART_UPLOADS -> "s3:ListBucketMultipartUploads";
      case LIST_PARTS -> "s3:ListMultipartUploadParts";
      case GET_OBJECT, HEAD_OBJECT -> "s3:GetObject";
      case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY, COMPLETE_MULTIPART_UPLOAD ->
          "s3:PutObject";
      case DELETE_OBJECT, DELETE_OBJECTS -> "s3:DeleteObject";
      // IAM names lifecycle configuration and the deletion of bucket tags otherwise than their operations.
      case GET_BUCKET_LIFECYCLE -> "s3:GetLifecycleConfiguration";
      case PUT_BUCKET_LIFECYCLE, DELETE_BUCKET_LIFECYCLE -> "s3:PutLifecycleConfiguration";
      case DELETE_BUCKET_TAGGING -> "s3:PutBucketTagging";
      case LIST_OBJECT_VERSIONS -> "s3:ListBucketVersions";
      // Everything else is named as S3 names the operation (s3:GetBucketAcl, s3:PutBucketPolicy...).
      default -> "s3:" + operation.awsName();
    };
  }

  /**
   * The IAM action of {@code operation} on one version named by {@code ?versionId=} (or a
   * DeleteObjects key's {@code VersionId}): IAM names version reads and deletes apart, so a policy
   * can allow the current object and deny its history.
   */
  static String action(Operation operation, boolean namesVersion) {
    if (!namesVersion) {
      return action(operation);
    }
    return switch (operation) {
      case GET_OBJECT, HEAD_OBJECT -> "s3:GetObjectVersion";
      case DELETE_OBJECT, DELETE_OBJECTS -> "s3:DeleteObjectVersion";
      case GET_OBJECT_TAGGING -> "s3:GetObjectVersionTagging";
      case PUT_OBJECT_TAGGING -> "s3:PutObjectVersionTagging";
      case DELETE_OBJECT_TAGGING -> "s3:DeleteObjectVersionTagging";
      default -> action(operation);
    };
  }

  static Optional<AclNeed> aclNeed(Operation operation) {
    return Optional.ofNullable(switch (operation) {
      case HEAD_BUCKET, LIST_OBJECTS, LIST_OBJECTS_V2, LIST_MULTIPART_UPLOADS, LIST_OBJECT_VERSIONS ->
          AclNeed.onBucket(Permission.READ);
      case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY, COMPLETE_MULTIPART_UPLOAD,
          ABORT_MULTIPART_UPLOAD, LIST_PARTS, DELETE_OBJECT, DELETE_OBJECTS -> AclNeed.onBucket(Permission.WRITE);
      case GET_BUCKET_ACL -> AclNeed.onBucket(Permission.READ_ACP);
      case PUT_BUCKET_ACL -> AclNeed.onBucket(Permission.WRITE_ACP);
      case GET_OBJECT, HEAD_OBJECT, GET_OBJECT_ATTRIBUTES -> AclNeed.onObject(Permission.READ);
      case GET_OBJECT_ACL -> AclNeed.onObject(Permission.READ_ACP);
      case PUT_OBJECT_ACL -> AclNeed.onObject(Permission.WRITE_ACP);
      default -> null;
    });
  }
}
