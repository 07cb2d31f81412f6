package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/** Put/Get/DeleteBucketPolicy through the SDK, and what a stored policy allows and denies. */
class S3BucketPolicyApiTest {

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket("unused");

  private static S3Client alice;
  private static S3Client bob;
  private static AnonymousHttp anonymous;

  @BeforeAll
  static void clients() {
    alice = s3.alice();
    bob = s3.server().client(BOB);
    anonymous = new AnonymousHttp(s3.server().endpoint());
  }

  private static String policy(String bucket, String effect, String principal, String action, String resource, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Principal\":" + principal
        + ",\"Action\":\"" + action + "\",\"Resource\":\"arn:aws:s3:::" + bucket + resource + "\""
        + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  @Test
  void aPolicyGrantingAnotherAccountGetObjectOnAPrefixOpensThatPrefixOnly() {
    alice.createBucket(c -> c.bucket("shared"));
    alice.putObject(p -> p.bucket("shared").key("team/plan.txt"), RequestBody.fromString("plan"));
    alice.putObject(p -> p.bucket("shared").key("private/diary.txt"), RequestBody.fromString("diary"));
    assertS3Error(() -> bob.getObject(g -> g.bucket("shared").key("team/plan.txt")), 403, "AccessDenied");
    alice.putBucketPolicy(p -> p.bucket("shared").policy(policy("shared", "Allow",
        "{\"AWS\":\"arn:aws:iam::" + BOB.accountId() + ":root\"}", "s3:GetObject", "/team/*", null)));
    assertThat(bob.getObjectAsBytes(g -> g.bucket("shared").key("team/plan.txt")).asUtf8String()).isEqualTo("plan");
    assertS3Error(() -> bob.getObject(g -> g.bucket("shared").key("private/diary.txt")), 403, "AccessDenied");
    assertS3Error(() -> bob.listObjectsV2(l -> l.bucket("shared")), 403, "AccessDenied");
    assertS3Error(() -> bob.putObject(p -> p.bucket("shared").key("team/x"), RequestBody.fromString("x")), 403, "AccessDenied");
    assertS3Error(() -> bob.getBucketPolicy(g -> g.bucket("shared")), 403, "AccessDenied");
    assertS3Error(() -> bob.deleteBucketPolicy(d -> d.bucket("shared")), 403, "AccessDenied");
  }

  @Test
  void aDenyOnTheSourceAddressBeatsTheOwnerAndAPublicAclButNotTheOwnersPolicyRights() throws Exception {
    alice.createBucket(c -> c.bucket("fenced"));
    alice.putObject(p -> p.bucket("fenced").key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("v"));
    assertThat(anonymous.send("GET", "/fenced/k").statusCode()).isEqualTo(200);
    alice.putBucketPolicy(p -> p.bucket("fenced").policy(policy("fenced", "Deny", "\"*\"", "s3:*", "/*",
        "{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"}}")));
    assertS3Error(() -> alice.getObject(g -> g.bucket("fenced").key("k")), 403, "AccessDenied");
    assertS3Error(() -> alice.putObject(p -> p.bucket("fenced").key("k2"), RequestBody.fromString("v")), 403, "AccessDenied");
    assertThat(anonymous.send("GET", "/fenced/k").statusCode()).isEqualTo(403);
    // The owner can always see and undo the policy.
    assertThat(alice.getBucketPolicy(g -> g.bucket("fenced")).policy()).contains("127.0.0.1/32");
    alice.deleteBucketPolicy(d -> d.bucket("fenced"));
    assertThat(alice.getObjectAsBytes(g -> g.bucket("fenced").key("k")).asUtf8String()).isEqualTo("v");
  }

  @Test
  void anAnonymousPolicyOpensReadingAndListingAPrefix() throws Exception {
    alice.createBucket(c -> c.bucket("website"));
    alice.putObject(p -> p.bucket("website").key("public/index.html"), RequestBody.fromString("<html/>"));
    String statements = "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::website/public/*\"},"
        + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::website\","
        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"public/*\"}}}]}";
    alice.putBucketPolicy(p -> p.bucket("website").policy(statements));
    assertThat(anonymous.send("GET", "/website/public/index.html").statusCode()).isEqualTo(200);
    HttpResponse<String> list = anonymous.send("GET", "/website?list-type=2&prefix=public/");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(anonymous.send("GET", "/website?list-type=2").statusCode()).isEqualTo(403);
    assertThat(alice.getBucketPolicyStatus(g -> g.bucket("website")).policyStatus().isPublic()).isTrue();
  }

  @Test
  void multiObjectDeleteIsJudgedKeyByKey() {
    alice.createBucket(c -> c.bucket("cleanup"));
    alice.putObject(p -> p.bucket("cleanup").key("tmp/a"), RequestBody.fromString("a"));
    alice.putObject(p -> p.bucket("cleanup").key("keep/b"), RequestBody.fromString("b"));
    alice.putBucketPolicy(p -> p.bucket("cleanup").policy(policy("cleanup", "Allow",
        "{\"AWS\":[\"" + BOB.accountId() + "\"]}", "s3:DeleteObject", "/tmp/*", null)));
    DeleteObjectsResponse deleted = bob.deleteObjects(d -> d.bucket("cleanup").delete(Delete.builder().objects(
        ObjectIdentifier.builder().key("tmp/a").build(), ObjectIdentifier.builder().key("keep/b").build()).build()));
    assertThat(deleted.deleted()).extracting(o -> o.key()).containsExactly("tmp/a");
    assertThat(deleted.errors()).singleElement().satisfies(e -> {
      assertThat(e.key()).isEqualTo("keep/b");
      assertThat(e.code()).isEqualTo("AccessDenied");
    });
    assertThat(alice.listObjectsV2(l -> l.bucket("cleanup")).contents()).extracting(o -> o.key()).containsExactly("keep/b");
  }

  @Test
  void policyDocumentsAreCheckedAndAnsweredAsS3Does() throws Exception {
    alice.createBucket(c -> c.bucket("checked"));
    assertS3Error(() -> alice.getBucketPolicy(g -> g.bucket("checked")), 404, "NoSuchBucketPolicy");
    assertS3Error(() -> alice.getBucketPolicyStatus(g -> g.bucket("checked")), 404, "NoSuchBucketPolicy");
    alice.deleteBucketPolicy(d -> d.bucket("checked")); // 204 with none
    assertS3Error(() -> alice.putBucketPolicy(p -> p.bucket("checked").policy("{not json")), 400, "MalformedPolicy");
    assertS3Error(() -> alice.putBucketPolicy(p -> p.bucket("checked").policy(
        policy("checked", "Perhaps", "\"*\"", "s3:GetObject", "/*", null))), 400, "MalformedPolicy");
    assertS3Error(() -> alice.putBucketPolicy(p -> p.bucket("checked").policy(
        policy("elsewhere", "Allow", "\"*\"", "s3:GetObject", "/*", null))), 400, "MalformedPolicy");
    assertS3Error(() -> alice.putBucketPolicy(p -> p.bucket("checked").policy(
        policy("checked", "Allow", "{\"AWS\":\"bob\"}", "s3:GetObject", "/*", null))), 400, "MalformedPolicy");
    assertS3Error(() -> alice.putBucketPolicy(p -> p.bucket("checked").policy(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::checked/*\""
            + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"300.1.1.1/8\"}}}]}")), 400, "MalformedPolicy");
    String large = policy("checked", "Allow", "\"*\"", "s3:GetObject", "/" + "x".repeat(PolicyHandlers.POLICY_BYTES_MAX), null);
    assertS3Error(() -> alice.putBucketPolicy(p -> p.bucket("checked").policy(large)), 400, "MalformedPolicy");
    // The limit counts the document without its whitespace, as S3 does: an indented one that fits is taken.
    String indented = policy("checked", "Allow", "\"*\"", "s3:ListBucket", "", null).replace(",", ",\n" + " ".repeat(4500));
    alice.putBucketPolicy(p -> p.bucket("checked").policy(indented));
    alice.deleteBucketPolicy(d -> d.bucket("checked"));
    assertS3Error(() -> alice.getBucketPolicy(g -> g.bucket("checked")), 404, "NoSuchBucketPolicy");
    // Only the owner writes a policy; another account's attempt is refused before its body is read.
    assertS3Error(() -> bob.putBucketPolicy(p -> p.bucket("checked").policy(
        policy("checked", "Allow", "\"*\"", "s3:*", "/*", null))), 403, "AccessDenied");
    String stored = policy("checked", "Allow", "{\"AWS\":\"" + BOB.accountId() + "\"}", "s3:ListBucket", "", null);
    alice.putBucketPolicy(p -> p.bucket("checked").policy(stored));
    assertThat(alice.getBucketPolicy(g -> g.bucket("checked")).policy()).isEqualTo(stored);
    assertThat(alice.getBucketPolicyStatus(g -> g.bucket("checked")).policyStatus().isPublic()).isFalse();
    assertThat(bob.listObjectsV2(l -> l.bucket("checked")).keyCount()).isZero();
    // Even a policy that lets another account at the policy leaves it the owner's: 405, as S3 answers.
    alice.putBucketPolicy(p -> p.bucket("checked").policy(
        policy("checked", "Allow", "{\"AWS\":\"" + BOB.accountId() + "\"}", "s3:*BucketPolicy", "", null)));
    assertS3Error(() -> bob.getBucketPolicy(g -> g.bucket("checked")), 405, "MethodNotAllowed");
  }
}
