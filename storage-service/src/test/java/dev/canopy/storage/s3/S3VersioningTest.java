package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket versioning through the SDK v2, on the replicated store's backend (one KV node). */
class S3VersioningTest {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3TestServer s3;
  private static S3Client alice;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    s3 = S3TestServer.onKvStore(dir);
    alice = s3.alice;
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  private static String bucket(BucketVersioningStatus status) {
    String name = "versions-" + BUCKETS.incrementAndGet();
    alice.createBucket(b -> b.bucket(name));
    if (status != null) {
      alice.putBucketVersioning(p -> p.bucket(name).versioningConfiguration(v -> v.status(status)));
    }
    return name;
  }

  private static PutObjectResponse put(String bucket, String key, String body) {
    return alice.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString(body));
  }

  private static ResponseBytes<GetObjectResponse> get(String bucket, String key, String versionId) {
    return alice.getObject(g -> g.bucket(bucket).key(key).versionId(versionId), ResponseTransformer.toBytes());
  }

  private static String header(S3Exception e, String name) {
    return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(name).orElse(null);
  }

  @Test
  void versioningStatusIsStoredAndAnsweredToTheOwnerOnly() {
    String bucket = bucket(null);
    assertThat(alice.getBucketVersioning(g -> g.bucket(bucket)).status()).isNull();

    alice.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    assertThat(alice.getBucketVersioning(g -> g.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
    alice.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> v.status("Suspended")));
    assertThat(alice.getBucketVersioning(g -> g.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.SUSPENDED);

    S3Client bob = s3.client(S3TestServer.BOB);
    assertS3Error(() -> bob.getBucketVersioning(g -> g.bucket(bucket)), 403, "AccessDenied");
    assertS3Error(() -> bob.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> v.status("Enabled"))),
        403, "AccessDenied");
  }

  @Test
  void badVersioningConfigurationsAreRefusedAsAwsDoes() {
    String bucket = bucket(null);
    assertS3Error(() -> alice.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> v.status("On"))),
        400, "MalformedXML");
    assertS3Error(() -> alice.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> {})),
        400, "IllegalVersioningConfigurationException");
    assertS3Error(() -> alice.putBucketVersioning(p -> p.bucket(bucket)
        .versioningConfiguration(v -> v.status("Enabled").mfaDelete("Enabled"))), 501, "NotImplemented");
    assertThat(alice.getBucketVersioning(g -> g.bucket(bucket)).status()).as("nothing stored").isNull();
  }

  @Test
  void aNeverVersionedBucketAnswersNoVersionHeader() {
    String bucket = bucket(null);
    assertThat(put(bucket, "k", "v").versionId()).isNull();
    assertThat(get(bucket, "k", null).response().versionId()).isNull();
    assertThat(alice.deleteObject(d -> d.bucket(bucket).key("k")).versionId()).isNull();
  }

  /** ACLs and attributes cannot address a version yet: naming the null version of a versioned bucket is 501. */
  @Test
  void callsThatCannotAddressAVersionRefuseTheNullVersionOnceThereAreVersions() {
    String plain = bucket(null);
    put(plain, "k", "v");
    assertThat(alice.getObjectAcl(g -> g.bucket(plain).key("k").versionId("null")).grants()).isNotEmpty();

    String versioned = bucket(BucketVersioningStatus.ENABLED);
    put(versioned, "k", "v");
    for (Runnable call : List.<Runnable>of(
        () -> alice.getObjectAcl(g -> g.bucket(versioned).key("k").versionId("null")),
        () -> alice.putObjectAcl(p -> p.bucket(versioned).key("k").versionId("null").acl(ObjectCannedACL.PRIVATE)),
        () -> alice.getObjectAttributes(g -> g.bucket(versioned).key("k").versionId("null")
            .objectAttributes(ObjectAttributes.E_TAG)))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
        assertThat(e.statusCode()).isEqualTo(501);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
      });
    }
    assertThat(alice.getObjectAcl(g -> g.bucket(versioned).key("k")).grants()).isNotEmpty();
  }

  @Test
  void eachPutInAnEnabledBucketIsAVersionReadableById() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "doc", "one").versionId();
    String v2 = put(bucket, "doc", "two").versionId();

    assertThat(v1).isNotNull().isNotEqualTo(v2);
    assertThat(get(bucket, "doc", null).asUtf8String()).isEqualTo("two");
    assertThat(get(bucket, "doc", null).response().versionId()).isEqualTo(v2);
    assertThat(get(bucket, "doc", v1).asUtf8String()).isEqualTo("one");
    assertThat(get(bucket, "doc", v1).response().versionId()).isEqualTo(v1);
    assertThat(alice.headObject(h -> h.bucket(bucket).key("doc").versionId(v1)).versionId()).isEqualTo(v1);
    assertThat(alice.listObjectVersions(l -> l.bucket(bucket)).versions())
        .extracting(ObjectVersion::versionId, ObjectVersion::isLatest, ObjectVersion::size)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(v2, true, 3L),
            org.assertj.core.groups.Tuple.tuple(v1, false, 3L));
  }

  @Test
  void copyAndMultipartUploadAddVersionsToo() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    put(bucket, "src", "source");
    String copied = alice.copyObject(c -> c.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket)
        .destinationKey("dst")).versionId();
    String upload = alice.createMultipartUpload(c -> c.bucket(bucket).key("dst")).uploadId();
    String etag = alice.uploadPart(u -> u.bucket(bucket).key("dst").uploadId(upload).partNumber(1),
        RequestBody.fromString("part")).eTag();
    String completed = alice.completeMultipartUpload(c -> c.bucket(bucket).key("dst").uploadId(upload)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).versionId();

    assertThat(copied).isNotNull().isNotEqualTo(completed);
    assertThat(get(bucket, "dst", copied).asUtf8String()).isEqualTo("source");
    assertThat(get(bucket, "dst", completed).asUtf8String()).isEqualTo("part");
  }

  @Test
  void aDeleteMarkerHidesTheKeyUntilItIsRemoved() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "doc", "kept").versionId();
    DeleteObjectResponse deleted = alice.deleteObject(d -> d.bucket(bucket).key("doc"));
    String marker = deleted.versionId();

    assertThat(deleted.deleteMarker()).isTrue();
    assertThat(marker).isNotNull().isNotEqualTo(v1);
    assertThat(alice.listObjectsV2(l -> l.bucket(bucket)).contents()).isEmpty();
    S3Exception noKey = catchThrowableOfType(S3Exception.class, () -> get(bucket, "doc", null));
    assertThat(noKey.statusCode()).isEqualTo(404);
    assertThat(noKey.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
    assertThat(header(noKey, "x-amz-delete-marker")).isEqualTo("true");
    assertThat(header(noKey, "x-amz-version-id")).isEqualTo(marker);
    S3Exception onMarker = catchThrowableOfType(S3Exception.class, () -> get(bucket, "doc", marker));
    assertThat(onMarker.statusCode()).isEqualTo(405);
    assertThat(onMarker.awsErrorDetails().errorCode()).isEqualTo("MethodNotAllowed");
    assertThat(header(onMarker, "x-amz-delete-marker")).isEqualTo("true");
    S3Exception headOnMarker = catchThrowableOfType(S3Exception.class,
        () -> alice.headObject(h -> h.bucket(bucket).key("doc").versionId(marker)));
    assertThat(headOnMarker.statusCode()).isEqualTo(405);
    ListObjectVersionsResponse listed = alice.listObjectVersions(l -> l.bucket(bucket));
    assertThat(listed.deleteMarkers()).extracting(DeleteMarkerEntry::versionId, DeleteMarkerEntry::isLatest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(marker, true));
    assertThat(listed.versions()).extracting(ObjectVersion::isLatest).containsExactly(false);
    assertS3Error(() -> alice.deleteBucket(d -> d.bucket(bucket)), 409, "BucketNotEmpty");

    DeleteObjectResponse removed = alice.deleteObject(d -> d.bucket(bucket).key("doc").versionId(marker));
    assertThat(removed.deleteMarker()).isTrue();
    assertThat(removed.versionId()).isEqualTo(marker);
    assertThat(get(bucket, "doc", null).asUtf8String()).isEqualTo("kept");
  }

  @Test
  void deletingVersionsForGoodLeavesTheNextNewestCurrentAndFinallyAnEmptyBucket() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "doc", "one").versionId();
    String v2 = put(bucket, "doc", "two").versionId();

    assertThat(alice.deleteObject(d -> d.bucket(bucket).key("doc").versionId(v2)).versionId()).isEqualTo(v2);
    assertThat(get(bucket, "doc", null).asUtf8String()).isEqualTo("one");
    alice.deleteObject(d -> d.bucket(bucket).key("doc").versionId(v1));

    assertThat(alice.listObjectVersions(l -> l.bucket(bucket)).versions()).isEmpty();
    alice.deleteBucket(d -> d.bucket(bucket));
  }

  @Test
  void unknownAndMalformedVersionIdsGetAwsErrors() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    put(bucket, "doc", "x");
    assertS3Error(() -> get(bucket, "doc", "7ffffe6a1d1f1c5a0123456789abcdef"), 404, "NoSuchVersion");
    assertS3Error(() -> get(bucket, "doc", "no such id"), 400, "InvalidArgument");
    assertS3Error(() -> alice.deleteObject(d -> d.bucket(bucket).key("doc").versionId("bad")), 400, "InvalidArgument");
    assertS3Error(() -> alice.getObjectTagging(g -> g.bucket(bucket).key("doc").versionId("7ffffe6a1d1f1c5a0123456789abcdef")),
        404, "NoSuchVersion");
    // Not built yet: refused, never answered from the current version.
    assertS3Error(() -> alice.getObjectAcl(g -> g.bucket(bucket).key("doc").versionId("7ffffe6a1d1f1c5a0123456789abcdef")),
        501, "NotImplemented");
  }

  @Test
  void tagsAndCopiesAddressOneVersion() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "doc", "old").versionId();
    String v2 = put(bucket, "doc", "new").versionId();
    alice.putObjectTagging(p -> p.bucket(bucket).key("doc").versionId(v1)
        .tagging(t -> t.tagSet(software.amazon.awssdk.services.s3.model.Tag.builder().key("age").value("old").build())));

    assertThat(alice.getObjectTagging(g -> g.bucket(bucket).key("doc").versionId(v1)).tagSet()).hasSize(1);
    assertThat(alice.getObjectTagging(g -> g.bucket(bucket).key("doc")).tagSet()).as("current untouched").isEmpty();
    assertThat(alice.getObjectTagging(g -> g.bucket(bucket).key("doc").versionId(v1)).versionId()).isEqualTo(v1);

    // Copying the old version onto its own key restores it as the newest.
    var restored = alice.copyObject(c -> c.sourceBucket(bucket).sourceKey("doc").sourceVersionId(v1)
        .destinationBucket(bucket).destinationKey("doc"));
    assertThat(restored.copySourceVersionId()).isEqualTo(v1);
    assertThat(restored.versionId()).isNotIn(v1, v2);
    assertThat(get(bucket, "doc", null).asUtf8String()).isEqualTo("old");

    String marker = alice.deleteObject(d -> d.bucket(bucket).key("doc")).versionId();
    assertS3Error(() -> alice.copyObject(c -> c.sourceBucket(bucket).sourceKey("doc").sourceVersionId(marker)
        .destinationBucket(bucket).destinationKey("other")), 400, "InvalidRequest");
    assertS3Error(() -> alice.copyObject(c -> c.sourceBucket(bucket).sourceKey("doc")
        .sourceVersionId("7ffffe6a1d1f1c5a0123456789abcdef").destinationBucket(bucket).destinationKey("other")),
        404, "NoSuchVersion");
  }

  @Test
  void aSuspendedBucketWritesAndDeletesTheNullVersion() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "doc", "kept").versionId();
    alice.putBucketVersioning(p -> p.bucket(bucket).versioningConfiguration(v -> v.status("Suspended")));
    assertThat(put(bucket, "doc", "null one").versionId()).isEqualTo("null");
    assertThat(put(bucket, "doc", "null two").versionId()).isEqualTo("null");

    assertThat(alice.listObjectVersions(l -> l.bucket(bucket)).versions()).extracting(ObjectVersion::versionId)
        .containsExactly("null", v1);
    DeleteObjectResponse deleted = alice.deleteObject(d -> d.bucket(bucket).key("doc"));
    assertThat(deleted.deleteMarker()).isTrue();
    assertThat(deleted.versionId()).isEqualTo("null");
    assertThat(get(bucket, "doc", v1).asUtf8String()).isEqualTo("kept");
  }

  @Test
  void deleteObjectsNamesVersionsAndReportsMarkers() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "a", "1").versionId();
    put(bucket, "b", "2");
    DeleteObjectsResponse response = alice.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(
        ObjectIdentifier.builder().key("a").versionId(v1).build(), ObjectIdentifier.builder().key("b").build())));

    DeletedObject a = response.deleted().get(0);
    DeletedObject b = response.deleted().get(1);
    assertThat(a.key()).isEqualTo("a");
    assertThat(a.versionId()).isEqualTo(v1);
    assertThat(a.deleteMarker()).isNull();
    assertThat(b.deleteMarker()).isTrue();
    assertThat(b.deleteMarkerVersionId()).isNotNull();
    assertThat(alice.listObjectVersions(l -> l.bucket(bucket)).versions()).extracting(ObjectVersion::key)
        .containsExactly("b");
  }

  @Test
  void versionListingRollsUpPrefixesAndUrlEncodesKeys() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    put(bucket, "dir one/a", "x");
    put(bucket, "dir one/b", "x");
    put(bucket, "top level", "x");
    put(bucket, "top level", "y");

    ListObjectVersionsResponse listed = alice.listObjectVersions(l -> l.bucket(bucket).delimiter("/")
        .encodingType(EncodingType.URL));
    assertThat(listed.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("dir one/");
    assertThat(listed.versions()).extracting(ObjectVersion::key).containsExactly("top level", "top level");
  }

  @Test
  void thePaginatorWalksMoreThanAThousandVersions() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    List<String> expected = new ArrayList<>();
    for (String key : List.of("k1", "k2", "k3")) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 335; i++) {
        ids.add(0, key + "@" + put(bucket, key, key + i).versionId());
      }
      expected.addAll(ids);
    }

    List<String> walked = alice.listObjectVersionsPaginator(l -> l.bucket(bucket).maxKeys(97)).versions().stream()
        .map(v -> v.key() + "@" + v.versionId()).toList();
    assertThat(walked).containsExactlyElementsOf(expected);

    ListObjectVersionsResponse first = alice.listObjectVersions(l -> l.bucket(bucket));
    assertThat(first.versions()).hasSize(1000);
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.maxKeys()).isEqualTo(1000);
  }

  @Test
  void aPolicyCanAllowTheCurrentObjectAndDenyItsVersions() {
    String bucket = bucket(BucketVersioningStatus.ENABLED);
    String v1 = put(bucket, "doc", "old").versionId();
    put(bucket, "doc", "new");
    String bob = "arn:aws:iam::" + S3TestServer.BOB.accountId() + ":root";
    alice.putBucketPolicy(p -> p.bucket(bucket).policy("""
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "%s"}, "Action": ["s3:GetObject", "s3:GetObjectVersion"],
           "Resource": "arn:aws:s3:::%s/*"},
          {"Effect": "Deny", "Principal": {"AWS": "%s"}, "Action": ["s3:GetObjectVersion", "s3:DeleteObjectVersion"],
           "Resource": "arn:aws:s3:::%s/*"}]}
        """.formatted(bob, bucket, bob, bucket)));
    S3Client bobClient = s3.client(S3TestServer.BOB);

    assertThat(bobClient.getObject(g -> g.bucket(bucket).key("doc"), ResponseTransformer.toBytes()).asUtf8String())
        .isEqualTo("new");
    assertS3Error(() -> bobClient.getObject(g -> g.bucket(bucket).key("doc").versionId(v1), ResponseTransformer.toBytes()),
        403, "AccessDenied");
    assertS3Error(() -> bobClient.deleteObject(d -> d.bucket(bucket).key("doc").versionId(v1)), 403, "AccessDenied");
  }
}
