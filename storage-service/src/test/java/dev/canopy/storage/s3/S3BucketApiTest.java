package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.Permission;

/** Bucket operations through the real AWS SDK for Java v2. */
class S3BucketApiTest {

  @TempDir static Path dir;
  static S3TestServer s3;
  static S3Client alice;
  static S3Client bob;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3TestServer(dir);
    alice = s3.alice;
    bob = s3.client(BOB);
  }

  @AfterAll
  static void stop() throws Exception {
    bob.close();
    s3.close();
  }

  @Test
  void createListHeadLocateDelete() {
    alice.createBucket(b -> b.bucket("alpha"));
    alice.createBucket(b -> b.bucket("beta.dots-1")
        .createBucketConfiguration(CreateBucketConfiguration.builder().locationConstraint(S3TestServer.REGION).build()));
    bob.createBucket(b -> b.bucket("bobs-bucket"));

    ListBucketsResponse list = alice.listBuckets();
    assertThat(list.buckets()).extracting(Bucket::name).contains("alpha", "beta.dots-1").doesNotContain("bobs-bucket");
    assertThat(list.owner().id()).isEqualTo(ALICE.accountId());
    assertThat(list.buckets()).allSatisfy(b -> assertThat(b.creationDate()).isNotNull());

    HeadBucketResponse head = alice.headBucket(b -> b.bucket("alpha"));
    assertThat(head.sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region")).contains(S3TestServer.REGION);
    assertThat(alice.getBucketLocation(b -> b.bucket("alpha")).locationConstraintAsString()).isEqualTo(S3TestServer.REGION);

    alice.deleteBucket(b -> b.bucket("beta.dots-1"));
    assertThat(alice.listBuckets().buckets()).extracting(Bucket::name).doesNotContain("beta.dots-1");
    assertS3Error(() -> alice.headBucket(b -> b.bucket("beta.dots-1")), 404, null);
    assertS3Error(() -> alice.deleteBucket(b -> b.bucket("beta.dots-1")), 404, "NoSuchBucket");
  }

  @Test
  void nameConflicts() {
    alice.createBucket(b -> b.bucket("taken"));
    assertS3Error(() -> alice.createBucket(b -> b.bucket("taken")), 409, "BucketAlreadyOwnedByYou");
    assertS3Error(() -> bob.createBucket(b -> b.bucket("taken")), 409, "BucketAlreadyExists");
  }

  @Test
  void invalidNamesAndLocations() {
    // The SDK refuses bad names before sending; S3ProtocolTest sends them raw.
    assertThatThrownBy(() -> alice.createBucket(b -> b.bucket("Upper"))).isInstanceOf(IllegalArgumentException.class);
    assertS3Error(() -> alice.createBucket(b -> b.bucket("elsewhere").createBucketConfiguration(
        CreateBucketConfiguration.builder().locationConstraint("eu-west-1").build())), 400, "IllegalLocationConstraintException");
  }

  @Test
  void anotherAccountsBucketIsForbidden() {
    bob.createBucket(b -> b.bucket("bob-private"));
    bob.putObject(b -> b.bucket("bob-private").key("secret"), RequestBody.fromString("bob's"));
    assertS3Error(() -> alice.getObject(b -> b.bucket("bob-private").key("secret")), 403, "AccessDenied");
    assertS3Error(() -> alice.putObject(b -> b.bucket("bob-private").key("x"), RequestBody.fromString("x")), 403, "AccessDenied");
    assertS3Error(() -> alice.listObjectsV2(b -> b.bucket("bob-private")), 403, "AccessDenied");
    assertS3Error(() -> alice.deleteBucket(b -> b.bucket("bob-private")), 403, "AccessDenied");
    assertS3Error(() -> alice.headBucket(b -> b.bucket("bob-private")), 403, null);
    assertS3Error(() -> alice.copyObject(b -> b.sourceBucket("bob-private").sourceKey("secret")
        .destinationBucket("alice-dest").destinationKey("stolen")), 404, "NoSuchBucket");
    alice.createBucket(b -> b.bucket("alice-dest"));
    assertS3Error(() -> alice.copyObject(b -> b.sourceBucket("bob-private").sourceKey("secret")
        .destinationBucket("alice-dest").destinationKey("stolen")), 403, "AccessDenied");
  }

  @Test
  void deleteRefusesNonEmptyBuckets() {
    alice.createBucket(b -> b.bucket("full"));
    alice.putObject(b -> b.bucket("full").key("k"), RequestBody.fromString("v"));
    assertS3Error(() -> alice.deleteBucket(b -> b.bucket("full")), 409, "BucketNotEmpty");
    alice.deleteObject(b -> b.bucket("full").key("k"));
    String upload = alice.createMultipartUpload(b -> b.bucket("full").key("mp")).uploadId();
    assertS3Error(() -> alice.deleteBucket(b -> b.bucket("full")), 409, "BucketNotEmpty");
    alice.abortMultipartUpload(b -> b.bucket("full").key("mp").uploadId(upload));
    alice.deleteBucket(b -> b.bucket("full"));
  }

  @Test
  void subresourcesAnswerSensibly() {
    alice.createBucket(b -> b.bucket("subs"));
    var acl = alice.getBucketAcl(b -> b.bucket("subs"));
    assertThat(acl.owner().id()).isEqualTo(ALICE.accountId());
    assertThat(acl.grants()).singleElement().satisfies(g -> {
      assertThat(g.permission()).isEqualTo(Permission.FULL_CONTROL);
      assertThat(g.grantee().id()).isEqualTo(ALICE.accountId());
    });
    assertThat(alice.getBucketVersioning(b -> b.bucket("subs")).status()).isNull();
    assertS3Error(() -> alice.getBucketPolicy(b -> b.bucket("subs")), 404, "NoSuchBucketPolicy");
    assertS3Error(() -> alice.getBucketTagging(b -> b.bucket("subs")), 404, "NoSuchTagSet");
    assertS3Error(() -> alice.putBucketPolicy(b -> b.bucket("subs").policy("{}")), 400, "MalformedPolicy");
    assertS3Error(() -> alice.getBucketAcl(b -> b.bucket("no-such-bucket")), 404, "NoSuchBucket");
  }

  @Test
  void virtualHostStyleAddressesTheSameBuckets() {
    try (S3Client vhost = s3.virtualHostClient(ALICE)) {
      vhost.createBucket(b -> b.bucket("vhost-bucket"));
      vhost.putObject(b -> b.bucket("vhost-bucket").key("dir/file.txt"), RequestBody.fromString("hello vhost"));
      assertThat(alice.getObjectAsBytes(b -> b.bucket("vhost-bucket").key("dir/file.txt")).asUtf8String())
          .isEqualTo("hello vhost");
      assertThat(vhost.listObjectsV2(b -> b.bucket("vhost-bucket")).keyCount()).isEqualTo(1);
    }
  }
}
