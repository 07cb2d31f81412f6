package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Buckets through the endpoint: every naming rule S3 documents for general purpose buckets, with
 * a name that breaks only that rule (sent raw, since the SDK refuses some names itself); the
 * empty-bucket rule for delete; ownership (another account's bucket is AccessDenied for every
 * operation, and its name is BucketAlreadyExists, not BucketAlreadyOwnedByYou).
 */
class S3BucketRulesTest {

  @TempDir static Path dir;
  static S3TestServer s3;
  static S3Client alice;
  static S3Client bob;
  static SignedHttp http;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3TestServer(dir);
    alice = s3.alice;
    bob = s3.client(BOB);
    http = new SignedHttp(s3.endpoint(), ALICE);
  }

  @AfterAll
  static void stop() throws Exception {
    bob.close();
    s3.close();
  }

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource(delimiter = '|', value = {
      "ab | shorter than 3 characters",
      "a234567890123456789012345678901234567890123456789012345678901234 | longer than 63 characters",
      "Upper-case | upper-case letter",
      "under_score | underscore",
      "sp%20ace | space",
      "b%C3%BCcket | non-ASCII letter",
      "-leading-hyphen | starts with a hyphen",
      ".leading-dot | starts with a dot",
      "trailing-hyphen- | ends with a hyphen",
      "trailing-dot. | ends with a dot",
      "two..dots | two adjacent dots",
      "dot.-hyphen | dot then hyphen",
      "hyphen-.dot | hyphen then dot",
      "192.168.5.4 | formatted as an IP address",
      "xn--prefix | starts with xn--",
      "sthree-prefix | starts with sthree-",
      "amzn-s3-demo-prefix | starts with amzn-s3-demo-",
      "suffix-s3alias | ends with -s3alias",
      "suffix--ol-s3 | ends with --ol-s3",
      "suffix.mrap | ends with .mrap",
      "suffix--x-s3 | ends with --x-s3",
      "suffix--table-s3 | ends with --table-s3"})
  void aNameBreakingOneRuleIsInvalidBucketName(String rawName, String rule) throws Exception {
    HttpResponse<String> response = http.send("PUT", "/" + rawName, new byte[0]);
    assertThat(response.statusCode()).as(rule).isEqualTo(400);
    assertThat(response.body()).as(rule).contains("<Code>InvalidBucketName</Code>");
    assertThat(s3.registry.listByOwner(ALICE.accountId())).extracting(BucketRecord::name)
        .noneMatch(name -> name.equalsIgnoreCase(java.net.URLDecoder.decode(rawName, java.nio.charset.StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "abc", "a23456789012345678901234567890123456789012345678901234567890123", "0-starts-with-digit", "ends-with-digit-9",
      "dots.in.the.middle", "hyphens--twice", "192.168.5", "192.168.5.4.5", "xn-single-hyphen", "mid-xn--ok", "s3alias-first"})
  void aNameKeepingEveryRuleIsCreated(String name) throws Exception {
    HttpResponse<String> response = http.send("PUT", "/" + name, new byte[0]);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Location")).contains("/" + name);
    assertThat(alice.listBuckets().buckets()).extracting(Bucket::name).contains(name);
    alice.deleteBucket(b -> b.bucket(name));
  }

  @Test
  void deleteRefusesABucketWithObjectsOrUploadsUntilTheyAreGone() {
    alice.createBucket(b -> b.bucket("non-empty"));
    for (int i = 0; i < 3; i++) {
      String key = "k" + i;
      alice.putObject(b -> b.bucket("non-empty").key(key), RequestBody.fromString(key));
    }
    String upload = alice.createMultipartUpload(b -> b.bucket("non-empty").key("mp")).uploadId();
    assertS3Error(() -> alice.deleteBucket(b -> b.bucket("non-empty")), 409, "BucketNotEmpty");
    alice.deleteObjects(b -> b.bucket("non-empty").delete(Delete.builder().objects(
        ObjectIdentifier.builder().key("k0").build(), ObjectIdentifier.builder().key("k1").build(),
        ObjectIdentifier.builder().key("k2").build()).build()));
    // Only the in-progress upload is left: still not empty.
    assertS3Error(() -> alice.deleteBucket(b -> b.bucket("non-empty")), 409, "BucketNotEmpty");
    assertThat(alice.headBucket(b -> b.bucket("non-empty")).sdkHttpResponse().isSuccessful()).isTrue();
    alice.abortMultipartUpload(b -> b.bucket("non-empty").key("mp").uploadId(upload));
    alice.deleteBucket(b -> b.bucket("non-empty"));
    assertS3Error(() -> alice.headBucket(b -> b.bucket("non-empty")), 404, null);
  }

  @Test
  void aBucketRecreatedAfterDeleteStartsEmpty() {
    alice.createBucket(b -> b.bucket("reborn"));
    alice.putObject(b -> b.bucket("reborn").key("old"), RequestBody.fromString("old"));
    alice.deleteObject(b -> b.bucket("reborn").key("old"));
    alice.deleteBucket(b -> b.bucket("reborn"));
    bob.createBucket(b -> b.bucket("reborn"));
    assertThat(bob.listObjectsV2(b -> b.bucket("reborn")).keyCount()).isZero();
    assertS3Error(() -> alice.listObjectsV2(b -> b.bucket("reborn")), 403, "AccessDenied");
    bob.deleteBucket(b -> b.bucket("reborn"));
  }

  @Test
  void creatingAnExistingNameSaysWhoOwnsIt() {
    alice.createBucket(b -> b.bucket("alices"));
    assertS3Error(() -> alice.createBucket(b -> b.bucket("alices")), 409, "BucketAlreadyOwnedByYou");
    assertS3Error(() -> bob.createBucket(b -> b.bucket("alices")), 409, "BucketAlreadyExists");
    // The failed attempts changed neither owner nor listing.
    assertThat(alice.listBuckets().buckets()).extracting(Bucket::name).contains("alices");
    assertThat(bob.listBuckets().buckets()).extracting(Bucket::name).doesNotContain("alices");
    // Once deleted, the name is free for anyone.
    alice.deleteBucket(b -> b.bucket("alices"));
    bob.createBucket(b -> b.bucket("alices"));
    assertS3Error(() -> alice.createBucket(b -> b.bucket("alices")), 409, "BucketAlreadyExists");
    bob.deleteBucket(b -> b.bucket("alices"));
  }

  @Test
  void everyOperationOnAnotherAccountsBucketIsAccessDenied() {
    alice.createBucket(b -> b.bucket("alice-only"));
    alice.putObject(b -> b.bucket("alice-only").key("secret"), RequestBody.fromString("alice's"));
    String upload = alice.createMultipartUpload(b -> b.bucket("alice-only").key("in-progress")).uploadId();
    bob.createBucket(b -> b.bucket("bob-target"));
    Map<String, ThrowingCallable> calls = new java.util.LinkedHashMap<>();
    calls.put("GetObject", () -> bob.getObject(b -> b.bucket("alice-only").key("secret")));
    calls.put("PutObject", () -> bob.putObject(b -> b.bucket("alice-only").key("secret"), RequestBody.fromString("bob's")));
    calls.put("DeleteObject", () -> bob.deleteObject(b -> b.bucket("alice-only").key("secret")));
    calls.put("DeleteObjects", () -> bob.deleteObjects(b -> b.bucket("alice-only")
        .delete(Delete.builder().objects(ObjectIdentifier.builder().key("secret").build()).build())));
    calls.put("CopyObject out", () -> bob.copyObject(b -> b.sourceBucket("alice-only").sourceKey("secret")
        .destinationBucket("bob-target").destinationKey("stolen")));
    calls.put("CopyObject in", () -> bob.copyObject(b -> b.sourceBucket("bob-target").sourceKey("any")
        .destinationBucket("alice-only").destinationKey("planted")));
    calls.put("GetObjectAcl", () -> bob.getObjectAcl(b -> b.bucket("alice-only").key("secret")));
    calls.put("ListObjectsV2", () -> bob.listObjectsV2(b -> b.bucket("alice-only")));
    calls.put("ListObjects", () -> bob.listObjects(b -> b.bucket("alice-only")));
    calls.put("ListMultipartUploads", () -> bob.listMultipartUploads(b -> b.bucket("alice-only")));
    calls.put("AbortMultipartUpload", () -> bob.abortMultipartUpload(b -> b.bucket("alice-only").key("in-progress").uploadId(upload)));
    calls.put("GetBucketAcl", () -> bob.getBucketAcl(b -> b.bucket("alice-only")));
    calls.put("GetBucketLocation", () -> bob.getBucketLocation(b -> b.bucket("alice-only")));
    calls.put("GetBucketVersioning", () -> bob.getBucketVersioning(b -> b.bucket("alice-only")));
    calls.put("DeleteBucket", () -> bob.deleteBucket(b -> b.bucket("alice-only")));
    calls.forEach((name, call) -> {
      try {
        assertS3Error(call, 403, "AccessDenied");
      } catch (AssertionError e) {
        throw new AssertionError(name + ": " + e.getMessage(), e);
      }
    });
    assertS3Error(() -> bob.headObject(b -> b.bucket("alice-only").key("secret")), 403, null);
    assertS3Error(() -> bob.headBucket(b -> b.bucket("alice-only")), 403, null);
    // Nothing Bob tried changed Alice's bucket.
    assertThat(alice.getObjectAsBytes(b -> b.bucket("alice-only").key("secret")).asUtf8String()).isEqualTo("alice's");
    assertThat(alice.listObjectsV2(b -> b.bucket("alice-only")).contents()).hasSize(1);
    assertThat(alice.listMultipartUploads(b -> b.bucket("alice-only")).uploads()).hasSize(1);
    assertThat(bob.listObjectsV2(b -> b.bucket("bob-target")).keyCount()).isZero();
  }

  @Test
  void aMissingBucketIsNoSuchBucketForEveryOperation() {
    for (ThrowingCallable call : List.<ThrowingCallable>of(
        () -> alice.getObject(b -> b.bucket("nowhere").key("k")),
        () -> alice.putObject(b -> b.bucket("nowhere").key("k"), RequestBody.fromString("x")),
        () -> alice.listObjectsV2(b -> b.bucket("nowhere")),
        () -> alice.createMultipartUpload(b -> b.bucket("nowhere").key("k")),
        () -> alice.deleteBucket(b -> b.bucket("nowhere")),
        () -> alice.deleteObject(b -> b.bucket("nowhere").key("k")))) {
      assertS3Error(call, 404, "NoSuchBucket");
    }
  }
}
