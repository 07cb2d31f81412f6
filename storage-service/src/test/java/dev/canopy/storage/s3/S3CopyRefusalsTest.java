package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * CopyObject requests S3 refuses, through the real endpoint and the SDK: each gets AWS's status
 * and code, and a refused copy leaves the destination exactly as it was.
 */
class S3CopyRefusalsTest {

  private static final String BUCKET = "copies";
  private static final String BOBS_BUCKET = "bobs-private";

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static S3Client bob;

  @BeforeAll
  static void objects() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("source").metadata(Map.of("colour", "blue")), RequestBody.fromString("source bytes"));
    s3.alice().putObject(b -> b.bucket(BUCKET).key("destination"), RequestBody.fromString("destination bytes"));
    bob = s3.server().client(S3TestServer.BOB);
    bob.createBucket(b -> b.bucket(BOBS_BUCKET));
    bob.putObject(b -> b.bucket(BOBS_BUCKET).key("payroll"), RequestBody.fromString("bob's payroll"));
  }

  private static String content(String key) {
    return s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  @Test
  void copyingAnObjectOntoItselfWithoutNewMetadataIsInvalidRequest() {
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("source")
        .destinationBucket(BUCKET).destinationKey("source")), 400, "InvalidRequest");
    assertThat(content("source")).isEqualTo("source bytes");
  }

  @Test
  void copyingAnObjectOntoItselfWithReplacedMetadataChangesOnlyTheMetadata() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("self").metadata(Map.of("colour", "red")), RequestBody.fromString("self bytes"));

    s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("self").destinationBucket(BUCKET).destinationKey("self")
        .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("colour", "green")).contentType("text/plain"));

    HeadObjectResponse head = s3.alice().headObject(b -> b.bucket(BUCKET).key("self"));
    assertThat(head.metadata()).containsExactly(Map.entry("colour", "green"));
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(content("self")).isEqualTo("self bytes");
  }

  @Test
  void aSourceKeyThatIsNotThereIsNoSuchKeyAndTheDestinationStays() {
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("never-written")
        .destinationBucket(BUCKET).destinationKey("destination")), 404, "NoSuchKey");
    assertThat(content("destination")).isEqualTo("destination bytes");
  }

  @Test
  void aSourceBucketThatIsNotThereIsNoSuchBucket() {
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket("no-such-bucket-here").sourceKey("source")
        .destinationBucket(BUCKET).destinationKey("from-nowhere")), 404, "NoSuchBucket");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("from-nowhere")), 404, null);
  }

  @Test
  void anotherAccountsObjectCannotBeCopiedOutOfItsBucket() {
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BOBS_BUCKET).sourceKey("payroll")
        .destinationBucket(BUCKET).destinationKey("stolen")), 403, "AccessDenied");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("stolen")), 404, null);
  }

  @Test
  void anObjectCannotBeCopiedIntoAnotherAccountsBucket() {
    assertS3Error(() -> s3.alice().copyObject(b -> b.sourceBucket(BUCKET).sourceKey("source")
        .destinationBucket(BOBS_BUCKET).destinationKey("payroll")), 403, "AccessDenied");
    assertThat(bob.getObjectAsBytes(b -> b.bucket(BOBS_BUCKET).key("payroll")).asUtf8String()).isEqualTo("bob's payroll");
  }

  @Test
  void anUnknownMetadataDirectiveIsInvalidArgumentAndCopiesNothing() throws Exception {
    var answer = s3.http().send("PUT", "/" + BUCKET + "/directive-target", new byte[0],
        "x-amz-copy-source", "/" + BUCKET + "/source", "x-amz-metadata-directive", "MERGE");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidArgument</Code>");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("directive-target")), 404, null);
  }

  @Test
  void aCopyOfAParticularVersionIsNotImplementedRatherThanACopyOfTheCurrentOne() throws Exception {
    var answer = s3.http().send("PUT", "/" + BUCKET + "/version-target", new byte[0],
        "x-amz-copy-source", "/" + BUCKET + "/source?versionId=3HL4kqtJlcpXroDTDmjVBH40Nrjfkd");

    assertThat(answer.statusCode()).isEqualTo(501);
    assertThat(answer.body()).contains("<Code>NotImplemented</Code>");
    assertS3Error(() -> s3.alice().headObject(b -> b.bucket(BUCKET).key("version-target")), 404, null);
  }
}
