package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static dev.canopy.storage.s3.S3TestServer.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * CopyObject with keys that need encoding in x-amz-copy-source, across buckets, from a multipart
 * source and onto itself; DeleteObjects with quiet mode, duplicates, keys XML must escape, missing
 * keys and the 1000-key limit.
 */
class S3CopyAndMultiDeleteTest {

  private static final int MIB = 1024 * 1024;

  static final String BUCKET = "copies";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);



  private static String md5Etag(byte[] data) throws Exception {
    return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
  }

  @Test
  void sourceKeysThatNeedEncodingAreCopiedExactly() {
    for (String key : List.of("src/a+b c", "src/ü 😀", "src/100%", "src/q?x=1&y", "src/a//b")) {
      s3.alice().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("body of " + key));
      String destination = "dst/" + key.substring(4);
      s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey(key).destinationBucket(BUCKET).destinationKey(destination));
      assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(destination)).asUtf8String()).as(key)
          .isEqualTo("body of " + key);
    }
  }

  @Test
  void copySourceMayStartWithASlashAndNameVersionNull() throws Exception {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("plain"), RequestBody.fromString("plain body"));
    for (String source : List.of("/" + BUCKET + "/plain", BUCKET + "/plain", BUCKET + "/plain?versionId=null")) {
      HttpResponse<String> response = s3.http().send("PUT", "/" + BUCKET + "/copied", new byte[0], "x-amz-copy-source", source);
      assertThat(response.statusCode()).as(source).isEqualTo(200);
      assertThat(response.body()).contains("<CopyObjectResult ").contains("<ETag>");
      assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("copied")).asUtf8String()).isEqualTo("plain body");
    }
    for (String bad : List.of("", BUCKET, BUCKET + "/", "/" + BUCKET)) {
      HttpResponse<String> response = s3.http().send("PUT", "/" + BUCKET + "/copied", new byte[0], "x-amz-copy-source", bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.body()).as(bad).contains("<Code>InvalidArgument</Code>");
    }
  }

  @Test
  void aCopyOfAMultipartObjectHasTheBytesAndAPlainEtag() throws Exception {
    byte[] p1 = randomBytes(5 * MIB, 1);
    byte[] p2 = randomBytes(MIB + 3, 2);
    String id = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("mp-src")).uploadId();
    String e1 = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp-src").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
    String e2 = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("mp-src").uploadId(id).partNumber(2), RequestBody.fromBytes(p2)).eTag();
    s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("mp-src").uploadId(id).multipartUpload(m -> m.parts(
        CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
    byte[] whole = new byte[p1.length + p2.length];
    System.arraycopy(p1, 0, whole, 0, p1.length);
    System.arraycopy(p2, 0, whole, p1.length, p2.length);

    var copied = s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("mp-src").destinationBucket(BUCKET).destinationKey("mp-copy"));
    // A copy is written in one piece: its ETag is the MD5 of its bytes, not "<md5>-2".
    assertThat(copied.copyObjectResult().eTag()).isEqualTo(md5Etag(whole));
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("mp-copy")).asByteArray()).isEqualTo(whole);
    assertThat(s3.alice().headObject(b -> b.bucket(BUCKET).key("mp-src")).eTag()).endsWith("-2\"");
  }

  @Test
  void aCopyKeepsASinglePartObjectsChecksum() {
    byte[] data = randomBytes(MIB + 9, 3);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("summed").checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromBytes(data));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("summed").destinationBucket(BUCKET).destinationKey("summed-copy"));
    var head = s3.alice().headObject(b -> b.bucket(BUCKET).key("summed-copy").checksumMode(ChecksumMode.ENABLED));
    assertThat(head.checksumCRC32C()).isEqualTo(S3Checksums.crc32c(data));
  }

  @Test
  void aCopyAcrossBucketsLeavesTheSourceAndSurvivesItsDeletion() {
    s3.alice().createBucket(b -> b.bucket("copies-target"));
    byte[] data = randomBytes(2 * MIB + 1, 4);
    s3.alice().putObject(b -> b.bucket(BUCKET).key("traveller"), RequestBody.fromBytes(data));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("traveller").destinationBucket("copies-target").destinationKey("arrived"));
    s3.alice().deleteObject(b -> b.bucket(BUCKET).key("traveller"));
    // The copy owns its own bytes: deleting the source freed only the source's.
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket("copies-target").key("arrived")).asByteArray()).isEqualTo(data);
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("traveller")
        .destinationBucket("copies-target").destinationKey("again")), 404, "NoSuchKey");
  }

  @Test
  void copySourceConditionsDecideWhetherTheCopyHappens() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("cond-src"), RequestBody.fromString("source v1"));
    var head = s3.alice().headObject(b -> b.bucket(BUCKET).key("cond-src"));
    String etag = head.eTag();
    java.time.Instant modified = head.lastModified();
    java.time.Instant before = modified.minusSeconds(60);
    java.time.Instant after = modified.plusSeconds(60);
    String other = "\"ffffffffffffffffffffffffffffffff\"";

    // Each condition that holds lets the copy through.
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET).destinationKey("cond-1")
        .copySourceIfMatch(etag));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET).destinationKey("cond-2")
        .copySourceIfNoneMatch(other));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET).destinationKey("cond-3")
        .copySourceIfModifiedSince(before));
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET).destinationKey("cond-4")
        .copySourceIfUnmodifiedSince(after));
    // S3: if-match true wins over if-unmodified-since false.
    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET).destinationKey("cond-5")
        .copySourceIfMatch(etag).copySourceIfUnmodifiedSince(before));
    for (int i = 1; i <= 5; i++) {
      String key = "cond-" + i;
      assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).as(key).isEqualTo("source v1");
    }

    // Each condition that fails is 412 and writes nothing, on a copy that copies (never 304).
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET)
        .destinationKey("cond-no").copySourceIfMatch(other)), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET)
        .destinationKey("cond-no").copySourceIfNoneMatch(etag)), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET)
        .destinationKey("cond-no").copySourceIfModifiedSince(after)), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET)
        .destinationKey("cond-no").copySourceIfUnmodifiedSince(before)), 412, "PreconditionFailed");
    // S3: if-none-match false and if-modified-since true is 412.
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("cond-src").destinationBucket(BUCKET)
        .destinationKey("cond-no").copySourceIfNoneMatch(etag).copySourceIfModifiedSince(before)), 412, "PreconditionFailed");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("cond-no")), 404, null);
  }

  @Test
  void multiDeleteReportsEveryKeyOnceAndQuietReportsNone() {
    List<String> keys = List.of("del/a", "del/b & <c>", "del/ü 😀", "del/'quote\"");
    for (String key : keys) {
      s3.alice().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
    }
    List<ObjectIdentifier> ids = new ArrayList<>();
    keys.forEach(k -> ids.add(ObjectIdentifier.builder().key(k).build()));
    ids.add(ObjectIdentifier.builder().key("del/never-existed").build());
    DeleteObjectsResponse result = s3.alice().deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(ids)));
    assertThat(result.deleted()).extracting(DeletedObject::key)
        .containsExactlyInAnyOrder("del/a", "del/b & <c>", "del/ü 😀", "del/'quote\"", "del/never-existed");
    assertThat(result.errors()).isEmpty();
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("del/")).contents()).isEmpty();

    s3.alice().putObject(b -> b.bucket(BUCKET).key("del/quiet"), RequestBody.fromString("q"));
    DeleteObjectsResponse quiet = s3.alice().deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.quiet(true)
        .objects(ObjectIdentifier.builder().key("del/quiet").build(), ObjectIdentifier.builder().key("del/quiet").build())));
    assertThat(quiet.deleted()).isEmpty();
    assertThat(quiet.errors()).isEmpty();
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("del/quiet")), 404, null);
  }

  @Test
  void aThousandKeysAreOneRequestAndOneMoreIsMalformedXml() throws Exception {
    List<ObjectIdentifier> thousand = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      thousand.add(ObjectIdentifier.builder().key("bulk-del/" + i).build());
    }
    s3.alice().putObject(b -> b.bucket(BUCKET).key("bulk-del/999"), RequestBody.fromString("last"));
    assertThat(s3.alice().deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(thousand))).deleted()).hasSize(1000);
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("bulk-del/999")), 404, null);

    StringBuilder xml = new StringBuilder("<Delete>");
    for (int i = 0; i <= 1000; i++) {
      xml.append("<Object><Key>bulk-del/").append(i).append("</Key></Object>");
    }
    byte[] body = xml.append("</Delete>").toString().getBytes(StandardCharsets.UTF_8);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    HttpResponse<String> response = s3.http().send("POST", "/" + BUCKET + "?delete", body, "Content-MD5", md5);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("<Code>MalformedXML</Code>");
  }

  @Test
  void multiDeleteBodiesWithoutKeysAreMalformedXml() throws Exception {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("survivor"), RequestBody.fromString("s"));
    for (String xml : List.of("<Delete></Delete>", "<Delete><Object></Object></Delete>",
        "<Delete><Object><Key></Key></Object></Delete>", "<Delete><Object><Key>survivor")) {
      byte[] body = xml.getBytes(StandardCharsets.UTF_8);
      String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
      HttpResponse<String> response = s3.http().send("POST", "/" + BUCKET + "?delete", body, "Content-MD5", md5);
      assertThat(response.statusCode()).as(xml).isEqualTo(400);
      assertThat(response.body()).as(xml).contains("<Code>MalformedXML</Code>");
    }
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("survivor")).contents()).extracting(S3Object::key)
        .containsExactly("survivor");
  }
}
