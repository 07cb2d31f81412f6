package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** Object tags through the SDK: stored with the object, rewritten in place, copied, counted, checked as AWS does. */
class S3TaggingTest {

  private static final String BUCKET = "tags";

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static Tagging tagging(String... keysAndValues) {
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      tags.add(Tag.builder().key(keysAndValues[i]).value(keysAndValues[i + 1]).build());
    }
    return Tagging.builder().tagSet(tags).build();
  }

  private static Map<String, String> tagsOf(String key) {
    return s3.alice().getObjectTagging(g -> g.bucket(BUCKET).key(key)).tagSet().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void putGetAndDeleteObjectTaggingKeepTheBytesEtagAndLastModified() {
    S3Client alice = s3.alice();
    alice.putObject(p -> p.bucket(BUCKET).key("doc"), RequestBody.fromString("v"));
    HeadObjectResponse before = alice.headObject(h -> h.bucket(BUCKET).key("doc"));
    assertThat(tagsOf("doc")).isEmpty();
    assertThat(before.tagCount()).isNull();

    alice.putObjectTagging(p -> p.bucket(BUCKET).key("doc").tagging(tagging("team", "blue", "stage", "")));
    assertThat(tagsOf("doc")).isEqualTo(Map.of("team", "blue", "stage", ""));
    HeadObjectResponse after = alice.headObject(h -> h.bucket(BUCKET).key("doc"));
    assertThat(after.tagCount()).isEqualTo(2);
    assertThat(after.eTag()).isEqualTo(before.eTag());
    assertThat(after.lastModified()).isEqualTo(before.lastModified());
    assertThat(alice.getObject(g -> g.bucket(BUCKET).key("doc"), ResponseTransformer.toBytes()).response().tagCount())
        .isEqualTo(2);

    alice.putObjectTagging(p -> p.bucket(BUCKET).key("doc").tagging(tagging("only", "one")));
    assertThat(tagsOf("doc")).isEqualTo(Map.of("only", "one"));
    alice.deleteObjectTagging(d -> d.bucket(BUCKET).key("doc"));
    assertThat(tagsOf("doc")).isEmpty();
    assertThat(alice.getObjectAsBytes(g -> g.bucket(BUCKET).key("doc")).asUtf8String()).isEqualTo("v");
  }

  @Test
  void tagsComeWithPutObjectMultipartUploadsAndCopies() {
    S3Client alice = s3.alice();
    alice.putObject(p -> p.bucket(BUCKET).key("src").tagging("a=1&b=two%20words"), RequestBody.fromString("x"));
    assertThat(tagsOf("src")).isEqualTo(Map.of("a", "1", "b", "two words"));

    String upload = alice.createMultipartUpload(c -> c.bucket(BUCKET).key("mp").tagging("m=p")).uploadId();
    assertThat(alice.headObject(h -> h.bucket(BUCKET).key("src")).tagCount()).isEqualTo(2);
    String etag = alice.uploadPart(u -> u.bucket(BUCKET).key("mp").uploadId(upload).partNumber(1), RequestBody.fromString("p"))
        .eTag();
    alice.completeMultipartUpload(c -> c.bucket(BUCKET).key("mp").uploadId(upload)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    assertThat(tagsOf("mp")).isEqualTo(Map.of("m", "p"));

    alice.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("copied"));
    assertThat(tagsOf("copied")).isEqualTo(Map.of("a", "1", "b", "two words"));
    alice.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("retagged")
        .taggingDirective(TaggingDirective.REPLACE).tagging("c=3"));
    assertThat(tagsOf("retagged")).isEqualTo(Map.of("c", "3"));
    // New user metadata, the source's tags.
    alice.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("remeta")
        .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("k", "v")));
    assertThat(tagsOf("remeta")).isEqualTo(Map.of("a", "1", "b", "two words"));
    assertThat(alice.headObject(h -> h.bucket(BUCKET).key("remeta")).metadata()).isEqualTo(Map.of("k", "v"));
    assertS3Error(() -> alice.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET)
        .destinationKey("bad").taggingDirective("MOVE")), 400, "InvalidArgument");
  }

  @Test
  void tagSetsBreakingAwsRulesAreInvalidTag() {
    S3Client alice = s3.alice();
    alice.putObject(p -> p.bucket(BUCKET).key("rules"), RequestBody.fromString("v"));
    String[] eleven = new String[22];
    for (int i = 0; i < 11; i++) {
      eleven[2 * i] = "k" + i;
      eleven[2 * i + 1] = "v";
    }
    for (Tagging bad : List.of(tagging(eleven), tagging("k".repeat(129), "v"), tagging("k", "v".repeat(257)),
        tagging("dup", "1", "dup", "2"), tagging("aws:owner", "me"), tagging("", "v"), tagging("a<b", "v"),
        tagging("k", "50%"), tagging("k", "line\nbreak"), tagging("k!", "v"))) {
      assertS3Error(() -> alice.putObjectTagging(p -> p.bucket(BUCKET).key("rules").tagging(bad)), 400, "InvalidTag");
    }
    // Letters, digits and spaces of any script, and _ . : / = + - @ are allowed.
    alice.putObjectTagging(p -> p.bucket(BUCKET).key("rules").tagging(tagging("team/name_1", "a.b:c=d+e-f@g 東京 ٣")));
    assertThat(tagsOf("rules")).containsEntry("team/name_1", "a.b:c=d+e-f@g 東京 ٣");
    // 128 and 256 characters (not bytes) are allowed.
    alice.putObjectTagging(p -> p.bucket(BUCKET).key("rules").tagging(tagging("é".repeat(128), "ü".repeat(256))));
    assertThat(tagsOf("rules")).containsEntry("é".repeat(128), "ü".repeat(256));
    assertS3Error(() -> alice.putObject(p -> p.bucket(BUCKET).key("rules2").tagging("aws:x=1"), RequestBody.fromString("v")),
        400, "InvalidTag");
    assertS3Error(() -> alice.headObject(h -> h.bucket(BUCKET).key("rules2")), 404, null);
  }

  @Test
  void missingKeysMalformedBodiesAndVersionsAreRefused() throws Exception {
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.getObjectTagging(g -> g.bucket(BUCKET).key("missing")), 404, "NoSuchKey");
    assertS3Error(() -> alice.putObjectTagging(p -> p.bucket(BUCKET).key("missing").tagging(tagging("a", "b"))), 404, "NoSuchKey");
    assertS3Error(() -> alice.deleteObjectTagging(d -> d.bucket(BUCKET).key("missing")), 404, "NoSuchKey");
    alice.putObject(p -> p.bucket(BUCKET).key("v"), RequestBody.fromString("v"));
    assertS3Error(() -> alice.getObjectTagging(g -> g.bucket(BUCKET).key("v").versionId("3HL4kqtJlcpXroDTDmJ")), 501,
        "NotImplemented");
    assertThat(alice.getObjectTagging(g -> g.bucket(BUCKET).key("v").versionId("null")).tagSet()).isEmpty();

    for (String body : List.of("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>", "<Tagging>", "<Other/>")) {
      HttpResponse<String> response = ContentMd5.send(s3.http(), "PUT", "/" + BUCKET + "/v?tagging", body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).as(body).contains("<Code>MalformedXML</Code>");
    }
    HttpResponse<String> unchecked = s3.http().send("PUT", "/" + BUCKET + "/v?tagging",
        "<Tagging><TagSet/></Tagging>".getBytes(StandardCharsets.UTF_8));
    assertThat(unchecked.statusCode()).isEqualTo(400);
    assertThat(unchecked.body()).contains("<Code>InvalidRequest</Code>");
  }
}
