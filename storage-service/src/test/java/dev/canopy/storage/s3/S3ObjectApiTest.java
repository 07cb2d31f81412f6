package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Object operations through the real AWS SDK for Java v2 (sync and async clients). */
class S3ObjectApiTest {

  static final String BUCKET = "objects";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  @Test
  void putGetHeadWithMetadata() throws Exception {
    byte[] data = "hello, canopy".getBytes(StandardCharsets.UTF_8);
    PutObjectResponse put = s3.alice().putObject(b -> b.bucket(BUCKET).key("docs/hello.txt")
        .contentType("text/plain").cacheControl("max-age=60").contentDisposition("inline")
        .metadata(Map.of("color", "blue", "Owner-Name", "alice")), RequestBody.fromBytes(data));
    assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");

    ResponseBytes<GetObjectResponse> got = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("docs/hello.txt"));
    assertThat(got.asByteArray()).isEqualTo(data);
    GetObjectResponse meta = got.response();
    assertThat(meta.contentType()).isEqualTo("text/plain");
    assertThat(meta.cacheControl()).isEqualTo("max-age=60");
    assertThat(meta.contentDisposition()).isEqualTo("inline");
    assertThat(meta.contentEncoding()).isNull(); // aws-chunked must not be stored
    assertThat(meta.metadata()).containsEntry("color", "blue").containsEntry("owner-name", "alice");
    assertThat(meta.eTag()).isEqualTo(put.eTag());
    assertThat(meta.contentLength()).isEqualTo(data.length);
    assertThat(meta.acceptRanges()).isEqualTo("bytes");
    assertThat(meta.lastModified()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("docs/hello.txt"));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.eTag()).isEqualTo(put.eTag());
    assertThat(head.metadata()).containsEntry("color", "blue");

    GetObjectResponse overridden = s3.alice().getObject(b -> b.bucket(BUCKET).key("docs/hello.txt")
        .responseContentType("application/x-test")).response();
    assertThat(overridden.contentType()).isEqualTo("application/x-test");
  }

  @Test
  void largeObjectRoundTripsAndRangesWork() throws Exception {
    byte[] data = randomBytes(12 * 1024 * 1024 + 77, 1);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("big.bin"), RequestBody.fromBytes(data));
    byte[] back = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("big.bin")).asByteArray();
    assertThat(md5Hex(back)).isEqualTo(md5Hex(data));

    var range = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("big.bin").range("bytes=1048570-1048585"));
    assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(data, 1048570, 1048586));
    assertThat(range.response().contentRange()).isEqualTo("bytes 1048570-1048585/" + data.length);
    var suffix = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("big.bin").range("bytes=-100"));
    assertThat(suffix.asByteArray()).isEqualTo(Arrays.copyOfRange(data, data.length - 100, data.length));
    var open = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("big.bin").range("bytes=" + (data.length - 5) + "-"));
    assertThat(open.asByteArray()).hasSize(5);
    var multi = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("big.bin").range("bytes=0-1,5-6"));
    assertThat(multi.asByteArray()).hasSize(data.length);
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("big.bin").range("bytes=" + data.length + "-")),
        416, "InvalidRange");
  }

  @Test
  void asyncClientUploadsAwsChunkedWithTrailingChecksum() throws Exception {
    byte[] data = randomBytes(3 * 1024 * 1024 + 11, 2);
    try (S3AsyncClient async = s3.server().asyncClient(ALICE)) {
      PutObjectResponse put = async.putObject(b -> b.bucket(BUCKET).key("async.bin")
              .contentType("application/octet-stream").checksumAlgorithm(ChecksumAlgorithm.CRC32),
          AsyncRequestBody.fromBytes(data)).get();
      assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
      assertThat(put.checksumCRC32()).isEqualTo(S3Checksums.crc32(data));
      ResponseBytes<GetObjectResponse> back = async.getObject(
          b -> b.bucket(BUCKET).key("async.bin"), AsyncResponseTransformer.toBytes()).get();
      assertThat(back.asByteArray()).isEqualTo(data);
      assertThat(back.response().contentEncoding()).isNull();
    }
    // The sync client in checksum mode gets the stored CRC32 back and validates it.
    GetObjectResponse meta = s3.alice().getObject(b -> b.bucket(BUCKET).key("async.bin")
        .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).response();
    assertThat(meta.checksumCRC32()).isEqualTo(S3Checksums.crc32(data));
  }

  @Test
  void emptyObject() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("empty")).asByteArray()).isEmpty();
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("empty")).eTag()).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
  }

  @Test
  void missingThingsAndConditions() {
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("nope")), 404, "NoSuchKey");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("nope")), 404, null);
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket("no-such-bucket").key("k")), 404, "NoSuchBucket");
    s3.alice().putObject(b -> b.bucket(BUCKET).key("cond"), RequestBody.fromString("v1"));
    String etag = s3.alice().headObject(b -> b.bucket(BUCKET).key("cond")).eTag();
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("cond").ifMatch(etag)).asUtf8String()).isEqualTo("v1");
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("cond").ifMatch("\"0000\"")), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("cond").ifNoneMatch(etag)), 304, null);
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("cond").ifModifiedSince(Instant.now().plusSeconds(3600))), 304, null);
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("cond").ifUnmodifiedSince(Instant.now().minusSeconds(3600))),
        412, "PreconditionFailed");
  }

  @Test
  void deleteIsIdempotentAndMultiDeleteWorks() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("del/one"), RequestBody.fromString("1"));
    s3.alice().deleteObject(b -> b.bucket(BUCKET).key("del/one"));
    s3.alice().deleteObject(b -> b.bucket(BUCKET).key("del/one"));
    assertS3Error(() -> s3.alice().getObject(b -> b.bucket(BUCKET).key("del/one")), 404, "NoSuchKey");

    List<ObjectIdentifier> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String key = "del/many-" + i;
      s3.alice().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
      ids.add(ObjectIdentifier.builder().key(key).build());
    }
    ids.add(ObjectIdentifier.builder().key("del/never-existed").build());
    var result = s3.alice().deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(ids)));
    assertThat(result.deleted()).hasSize(6);
    assertThat(result.errors()).isEmpty();
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("del/")).keyCount()).isZero();
  }

  @Test
  void listingV2WithDelimiterPaginationAndUrlEncoding() {
    String bucket = "listing";
    s3.alice().createBucket(b -> b.bucket(bucket));
    List<String> keys = new ArrayList<>(List.of("a b+c/ü.txt", "photos/2024/x.jpg", "photos/2025/y.jpg", "photos/top.jpg", "readme"));
    IntStream.range(0, 25).forEach(i -> keys.add(String.format("many/%02d", i)));
    for (String key : keys) {
      s3.alice().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
    }
    ListObjectsV2Response root = s3.alice().listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
    assertThat(root.contents()).extracting(S3Object::key).containsExactly("readme");
    assertThat(root.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a b+c/", "many/", "photos/");
    assertThat(root.keyCount()).isEqualTo(4);

    ListObjectsV2Response photos = s3.alice().listObjectsV2(b -> b.bucket(bucket).prefix("photos/").delimiter("/"));
    assertThat(photos.contents()).extracting(S3Object::key).containsExactly("photos/top.jpg");
    assertThat(photos.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("photos/2024/", "photos/2025/");

    // The paginator follows NextContinuationToken; the SDK sends encoding-type=url and decodes.
    List<String> all = new ArrayList<>();
    s3.alice().listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(7).encodingType(EncodingType.URL))
        .forEach(page -> {
          assertThat(page.keyCount()).isLessThanOrEqualTo(7);
          page.contents().forEach(o -> all.add(o.key()));
        });
    assertThat(all).containsExactlyElementsOf(keys.stream().sorted().toList());

    ListObjectsV2Response after = s3.alice().listObjectsV2(b -> b.bucket(bucket).startAfter("photos/2025/y.jpg").fetchOwner(true));
    assertThat(after.contents()).extracting(S3Object::key).containsExactly("photos/top.jpg", "readme");
    assertThat(after.contents().get(0).owner().id()).isEqualTo(ALICE.accountId());
    assertThat(after.contents().get(0).size()).isEqualTo("photos/top.jpg".length());

    assertS3Error(() -> s3.alice().listObjectsV2(b -> b.bucket(bucket).continuationToken("garbage!")), 400, "InvalidArgument");
  }

  @Test
  void listingV1WithMarkers() {
    String bucket = "listing-v1";
    s3.alice().createBucket(b -> b.bucket(bucket));
    for (String key : List.of("a/1", "a/2", "b", "c/1", "d")) {
      s3.alice().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
    }
    ListObjectsResponse first = s3.alice().listObjects(b -> b.bucket(bucket).delimiter("/").maxKeys(2));
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/");
    assertThat(first.contents()).extracting(S3Object::key).containsExactly("b");
    assertThat(first.nextMarker()).isEqualTo("b");
    ListObjectsResponse second = s3.alice().listObjects(b -> b.bucket(bucket).delimiter("/").marker(first.nextMarker()));
    assertThat(second.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("c/");
    assertThat(second.contents()).extracting(S3Object::key).containsExactly("d");
    assertThat(second.isTruncated()).isFalse();
    assertThat(s3.alice().listObjects(b -> b.bucket(bucket)).contents()).hasSize(5);
  }

  @Test
  void copyObjectKeepsOrReplacesMetadata() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("copy/src").contentType("text/x-src").metadata(Map.of("k", "v")),
        RequestBody.fromString("copy me"));
    var copied = s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/src").destinationBucket(BUCKET).destinationKey("copy/dst"));
    assertThat(copied.copyObjectResult().eTag()).isEqualTo(s3.alice().headObject(b -> b.bucket(BUCKET).key("copy/src")).eTag());
    var dst = s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("copy/dst"));
    assertThat(dst.asUtf8String()).isEqualTo("copy me");
    assertThat(dst.response().contentType()).isEqualTo("text/x-src");
    assertThat(dst.response().metadata()).containsEntry("k", "v");

    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/src").destinationBucket(BUCKET).destinationKey("copy/src")
        .metadataDirective(MetadataDirective.REPLACE).contentType("text/x-new").metadata(Map.of("n", "1")));
    HeadObjectResponse replaced = s3.alice().headObject(b -> b.bucket(BUCKET).key("copy/src"));
    assertThat(replaced.contentType()).isEqualTo("text/x-new");
    assertThat(replaced.metadata()).containsOnlyKeys("n");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/src")
        .destinationBucket(BUCKET).destinationKey("copy/src")), 400, "InvalidRequest");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/none")
        .destinationBucket(BUCKET).destinationKey("copy/x")), 404, "NoSuchKey");
  }

  @Test
  void objectAclIsOwnerFullControl() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("acl"), RequestBody.fromString("x"));
    var acl = s3.alice().getObjectAcl(b -> b.bucket(BUCKET).key("acl"));
    assertThat(acl.grants()).singleElement().satisfies(g -> assertThat(g.permissionAsString()).isEqualTo("FULL_CONTROL"));
    assertS3Error(() -> s3.alice().getObjectAcl(b -> b.bucket(BUCKET).key("no-acl")), 404, "NoSuchKey");
    // An object put without tags has an empty set (S3TaggingTest covers the rest).
    assertThat(s3.alice().getObjectTagging(b -> b.bucket(BUCKET).key("acl")).tagSet()).isEmpty();
  }

  @Test
  void aLineBreakOrNulInAnEchoedHeaderValueIsInvalidArgumentNotAServerError() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("echo.txt"), RequestBody.fromString("x"));
    for (String forged : List.of("text/plain\r\nX-Forged: 1", "text/plain\nX-Forged: 1", "text/plain\u0000")) {
      software.amazon.awssdk.services.s3.model.S3Exception error = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("echo.txt").responseContentType(forged)),
          software.amazon.awssdk.services.s3.model.S3Exception.class);
      assertThat(error.statusCode()).isEqualTo(400);
      assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
    }
    software.amazon.awssdk.services.s3.model.S3Exception disposition = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("echo.txt").range("bytes=0-0")
            .responseContentDisposition("attachment\r\nSet-Cookie: a=b")),
        software.amazon.awssdk.services.s3.model.S3Exception.class);
    assertThat(disposition.statusCode()).isEqualTo(400);
    assertThat(disposition.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
  }
}
