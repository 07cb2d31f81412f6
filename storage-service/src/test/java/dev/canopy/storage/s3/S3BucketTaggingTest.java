package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/** Bucket tags through the SDK: up to 50, stored with the bucket, NoSuchTagSet when none. */
class S3BucketTaggingTest {

  private static final String BUCKET = "tagged-bucket";

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static Tagging tags(int count, String prefix) {
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tags.add(Tag.builder().key(prefix + i).value("v" + i).build());
    }
    return Tagging.builder().tagSet(tags).build();
  }

  @Test
  void putGetAndDeleteBucketTagging() {
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.getBucketTagging(g -> g.bucket(BUCKET)), 404, "NoSuchTagSet");
    alice.putBucketTagging(p -> p.bucket(BUCKET).tagging(tags(50, "cost-center-")));
    List<Tag> stored = alice.getBucketTagging(g -> g.bucket(BUCKET)).tagSet();
    assertThat(stored).hasSize(50).contains(Tag.builder().key("cost-center-49").value("v49").build());

    alice.putBucketTagging(p -> p.bucket(BUCKET).tagging(tags(1, "team")));
    assertThat(alice.getBucketTagging(g -> g.bucket(BUCKET)).tagSet())
        .containsExactly(Tag.builder().key("team0").value("v0").build());
    alice.deleteBucketTagging(d -> d.bucket(BUCKET));
    assertS3Error(() -> alice.getBucketTagging(g -> g.bucket(BUCKET)), 404, "NoSuchTagSet");
  }

  @Test
  void tagSetsBreakingAwsRulesAreInvalidTagAndOthersBucketsAreForbidden() throws Exception {
    S3Client alice = s3.alice();
    assertS3Error(() -> alice.putBucketTagging(p -> p.bucket(BUCKET).tagging(tags(51, "k"))), 400, "InvalidTag");
    Tagging duplicate = Tagging.builder().tagSet(Tag.builder().key("a").value("1").build(),
        Tag.builder().key("a").value("2").build()).build();
    assertS3Error(() -> alice.putBucketTagging(p -> p.bucket(BUCKET).tagging(duplicate)), 400, "InvalidTag");
    Tagging reserved = Tagging.builder().tagSet(Tag.builder().key("aws:cloudformation").value("1").build()).build();
    assertS3Error(() -> alice.putBucketTagging(p -> p.bucket(BUCKET).tagging(reserved)), 400, "InvalidTag");
    assertThat(ContentMd5.send(s3.http(), "PUT", "/" + BUCKET + "?tagging", "<Tagging><TagSet>").body())
        .contains("<Code>MalformedXML</Code>");
    assertS3Error(() -> alice.getBucketTagging(g -> g.bucket(BUCKET)), 404, "NoSuchTagSet");
    try (S3Client bob = s3.server().client(S3TestServer.BOB)) {
      assertS3Error(() -> bob.putBucketTagging(p -> p.bucket(BUCKET).tagging(tags(1, "x"))), 403, "AccessDenied");
      assertS3Error(() -> bob.getBucketTagging(g -> g.bucket(BUCKET)), 403, "AccessDenied");
    }
  }
}
