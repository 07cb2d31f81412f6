package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The IAM actions a bucket policy names the tagging and lifecycle operations by, as AWS's policies do. */
class OperationAccessTest {

  @Test
  void taggingAndLifecycleOperationsHaveAwsIamActionNames() {
    assertThat(OperationAccess.action(Operation.GET_OBJECT_TAGGING)).isEqualTo("s3:GetObjectTagging");
    assertThat(OperationAccess.action(Operation.PUT_OBJECT_TAGGING)).isEqualTo("s3:PutObjectTagging");
    assertThat(OperationAccess.action(Operation.DELETE_OBJECT_TAGGING)).isEqualTo("s3:DeleteObjectTagging");
    assertThat(OperationAccess.action(Operation.GET_BUCKET_TAGGING)).isEqualTo("s3:GetBucketTagging");
    assertThat(OperationAccess.action(Operation.PUT_BUCKET_TAGGING)).isEqualTo("s3:PutBucketTagging");
    assertThat(OperationAccess.action(Operation.DELETE_BUCKET_TAGGING)).isEqualTo("s3:PutBucketTagging");
    assertThat(OperationAccess.action(Operation.GET_BUCKET_LIFECYCLE)).isEqualTo("s3:GetLifecycleConfiguration");
    assertThat(OperationAccess.action(Operation.PUT_BUCKET_LIFECYCLE)).isEqualTo("s3:PutLifecycleConfiguration");
    assertThat(OperationAccess.action(Operation.DELETE_BUCKET_LIFECYCLE)).isEqualTo("s3:PutLifecycleConfiguration");
    // No ACL grant lets another account at them: the owner's, or a policy's.
    assertThat(OperationAccess.aclNeed(Operation.PUT_OBJECT_TAGGING)).isEmpty();
    assertThat(OperationAccess.aclNeed(Operation.PUT_BUCKET_LIFECYCLE)).isEmpty();
  }
}
