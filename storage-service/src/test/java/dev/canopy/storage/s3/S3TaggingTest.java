package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** Tags are not stored: reading them answers an empty set, and every way of setting them is NotImplemented, never ignored. */
class S3TaggingTest {

  private static final String BUCKET = "tags";
  private static final Tagging ONE_TAG = Tagging.builder().tagSet(Tag.builder().key("team").value("a").build()).build();

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void object() {
    s3.alice().putObject(p -> p.bucket(BUCKET).key("k"), RequestBody.fromString("v"));
  }

  @Test
  void getObjectTaggingAnswersAnEmptyTagSetForAnExistingObject() throws Exception {
    assertThat(s3.alice().getObjectTagging(g -> g.bucket(BUCKET).key("k")).tagSet()).isEmpty();
    HttpResponse<String> raw = s3.http().send("GET", "/" + BUCKET + "/k?tagging", new byte[0]);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body()).contains("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet/></Tagging>");
    assertS3Error(() -> s3.alice().getObjectTagging(g -> g.bucket(BUCKET).key("missing")), 404, "NoSuchKey");
  }

  @Test
  void settingTagsInAnyWayIsNotImplemented() {
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.putObjectTagging(p -> p.bucket(BUCKET).key("k").tagging(ONE_TAG)), 501, "NotImplemented");
    assertS3Error(() -> alice.deleteObjectTagging(d -> d.bucket(BUCKET).key("k")), 501, "NotImplemented");
    assertS3Error(() -> alice.putBucketTagging(p -> p.bucket(BUCKET).tagging(ONE_TAG)), 501, "NotImplemented");
    assertS3Error(() -> alice.getBucketTagging(g -> g.bucket(BUCKET)), 501, "NotImplemented");
    assertS3Error(() -> alice.putObject(p -> p.bucket(BUCKET).key("tagged").tagging(ONE_TAG), RequestBody.fromString("x")),
        501, "NotImplemented");
    assertS3Error(() -> alice.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("k").destinationBucket(BUCKET).destinationKey("tagged")
        .taggingDirective(TaggingDirective.REPLACE).tagging(ONE_TAG)), 501, "NotImplemented");
    assertS3Error(() -> alice.createMultipartUpload(c -> c.bucket(BUCKET).key("tagged").tagging(ONE_TAG)), 501, "NotImplemented");
    assertS3Error(() -> alice.headObject(h -> h.bucket(BUCKET).key("tagged")), 404, null);
    assertThat(alice.listMultipartUploads(l -> l.bucket(BUCKET)).uploads()).isEmpty();
  }
}
