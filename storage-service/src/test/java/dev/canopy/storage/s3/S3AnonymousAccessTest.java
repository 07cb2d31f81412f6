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
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/** Canned ACLs open buckets and objects to other accounts and to unsigned requests, and nothing else. */
class S3AnonymousAccessTest {

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket("private-bucket");

  private static S3Client alice;
  private static S3Client bob;
  private static AnonymousHttp anonymous;

  @BeforeAll
  static void clients() {
    alice = s3.alice();
    bob = s3.server().client(BOB);
    anonymous = new AnonymousHttp(s3.server().endpoint());
  }

  private static void assertDenied(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    if (!response.request().method().equals("HEAD")) {
      assertThat(response.body()).contains("<Code>AccessDenied</Code>");
    }
  }

  @Test
  void aPrivateObjectIsNeitherAnotherAccountsNorAnonymous() throws Exception {
    alice.putObject(p -> p.bucket("private-bucket").key("secret"), RequestBody.fromString("alice's"));
    assertS3Error(() -> bob.getObject(g -> g.bucket("private-bucket").key("secret")), 403, "AccessDenied");
    assertDenied(anonymous.send("GET", "/private-bucket/secret"));
    assertDenied(anonymous.send("GET", "/private-bucket"));
    assertDenied(anonymous.send("PUT", "/private-bucket/planted", "x"));
    assertDenied(anonymous.send("DELETE", "/private-bucket/secret"));
    assertThat(alice.getObjectAsBytes(g -> g.bucket("private-bucket").key("secret")).asUtf8String()).isEqualTo("alice's");
  }

  @Test
  void aPublicReadObjectIsReadableAnonymouslyAndByAnotherAccount() throws Exception {
    alice.putObject(p -> p.bucket("private-bucket").key("open.txt").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("hello"));
    HttpResponse<String> get = anonymous.send("GET", "/private-bucket/open.txt");
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("hello");
    assertThat(anonymous.send("HEAD", "/private-bucket/open.txt").statusCode()).isEqualTo(200);
    assertThat(bob.getObjectAsBytes(g -> g.bucket("private-bucket").key("open.txt")).asUtf8String()).isEqualTo("hello");
    // Reading it is all: the bucket stays unlistable and the object unwritable.
    assertDenied(anonymous.send("GET", "/private-bucket?list-type=2"));
    assertDenied(anonymous.send("PUT", "/private-bucket/open.txt", "defaced"));
    assertS3Error(() -> bob.deleteObject(d -> d.bucket("private-bucket").key("open.txt")), 403, "AccessDenied");
    // A missing key tells an outsider nothing: denied, not NoSuchKey.
    assertDenied(anonymous.send("GET", "/private-bucket/missing"));
  }

  @Test
  void aPublicReadBucketListsAnonymouslyButKeepsItsObjectsPrivate() throws Exception {
    alice.createBucket(c -> c.bucket("listed").acl(BucketCannedACL.PUBLIC_READ));
    alice.putObject(p -> p.bucket("listed").key("index.html"), RequestBody.fromString("<html/>"));
    HttpResponse<String> list = anonymous.send("GET", "/listed?list-type=2");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).contains("<Key>index.html</Key>");
    assertThat(bob.listObjectsV2(l -> l.bucket("listed")).contents()).extracting(o -> o.key()).containsExactly("index.html");
    assertDenied(anonymous.send("GET", "/listed/index.html"));
    assertDenied(anonymous.send("PUT", "/listed/planted", "x"));
  }

  @Test
  void aPublicReadWriteBucketTakesAnonymousWritesThatItsOwnerOwns() throws Exception {
    alice.createBucket(c -> c.bucket("dropbox").acl(BucketCannedACL.PUBLIC_READ_WRITE));
    HttpResponse<String> put = anonymous.send("PUT", "/dropbox/drop.txt", "dropped");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(alice.getObjectAsBytes(g -> g.bucket("dropbox").key("drop.txt")).asUtf8String()).isEqualTo("dropped");
    assertThat(alice.getObjectAcl(g -> g.bucket("dropbox").key("drop.txt")).owner().id()).isEqualTo(S3TestServer.ALICE.accountId());
    // Objects written into the bucket are private unless their writer said otherwise.
    assertDenied(anonymous.send("GET", "/dropbox/drop.txt"));
    assertThat(anonymous.send("DELETE", "/dropbox/drop.txt").statusCode()).isEqualTo(204);
    // The bucket itself stays the owner's.
    assertDenied(anonymous.send("DELETE", "/dropbox"));
    assertDenied(anonymous.send("GET", "/dropbox?acl"));
    assertDenied(anonymous.send("PUT", "/dropbox?policy", "{}"));
  }

  @Test
  void authenticatedReadOpensToSignedRequestsOnly() throws Exception {
    alice.putObject(p -> p.bucket("private-bucket").key("members").acl(ObjectCannedACL.AUTHENTICATED_READ), RequestBody.fromString("m"));
    assertThat(bob.getObjectAsBytes(g -> g.bucket("private-bucket").key("members")).asUtf8String()).isEqualTo("m");
    assertDenied(anonymous.send("GET", "/private-bucket/members"));
  }

  @Test
  void copiesAndMultipartUploadsTakeTheAclTheirRequestNames() throws Exception {
    alice.putObject(p -> p.bucket("private-bucket").key("public-source").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("s"));
    alice.copyObject(c -> c.sourceBucket("private-bucket").sourceKey("public-source")
        .destinationBucket("private-bucket").destinationKey("private-copy"));
    assertDenied(anonymous.send("GET", "/private-bucket/private-copy"));
    alice.copyObject(c -> c.sourceBucket("private-bucket").sourceKey("private-copy").acl(ObjectCannedACL.PUBLIC_READ)
        .destinationBucket("private-bucket").destinationKey("public-copy"));
    assertThat(anonymous.send("GET", "/private-bucket/public-copy").statusCode()).isEqualTo(200);

    String upload = alice.createMultipartUpload(c -> c.bucket("private-bucket").key("big").acl(ObjectCannedACL.PUBLIC_READ)).uploadId();
    String etag = alice.uploadPart(u -> u.bucket("private-bucket").key("big").uploadId(upload).partNumber(1),
        RequestBody.fromString("part")).eTag();
    alice.completeMultipartUpload(c -> c.bucket("private-bucket").key("big").uploadId(upload)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    HttpResponse<String> get = anonymous.send("GET", "/private-bucket/big");
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("part");
  }

  @Test
  void listingOnesBucketsAndCreatingOneAreNeverAnonymous() throws Exception {
    assertDenied(anonymous.send("GET", "/"));
    assertDenied(anonymous.send("PUT", "/anonymous-bucket"));
    assertThat(alice.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("anonymous-bucket");
  }

  @Test
  void anUnknownCannedAclIsInvalidArgument() {
    assertS3Error(() -> alice.putObject(p -> p.bucket("private-bucket").key("k").acl("public-write"), RequestBody.fromString("x")),
        400, "InvalidArgument");
    assertS3Error(() -> alice.putObject(p -> p.bucket("private-bucket").key("k").acl(ObjectCannedACL.PUBLIC_READ)
        .grantRead("id=222222222222"), RequestBody.fromString("x")), 400, "InvalidRequest");
  }

  @Test
  void anotherAccountCopiesAPublicReadObjectButNotAPrivateOne() {
    alice.putObject(p -> p.bucket("private-bucket").key("shareable").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("share"));
    alice.putObject(p -> p.bucket("private-bucket").key("kept"), RequestBody.fromString("kept"));
    bob.createBucket(c -> c.bucket("bobs-copies"));
    bob.copyObject(c -> c.sourceBucket("private-bucket").sourceKey("shareable").destinationBucket("bobs-copies").destinationKey("mine"));
    assertThat(bob.getObjectAsBytes(g -> g.bucket("bobs-copies").key("mine")).asUtf8String()).isEqualTo("share");
    assertS3Error(() -> bob.copyObject(c -> c.sourceBucket("private-bucket").sourceKey("kept")
        .destinationBucket("bobs-copies").destinationKey("stolen")), 403, "AccessDenied");
    String upload = bob.createMultipartUpload(c -> c.bucket("bobs-copies").key("parts")).uploadId();
    bob.uploadPartCopy(u -> u.sourceBucket("private-bucket").sourceKey("shareable")
        .destinationBucket("bobs-copies").destinationKey("parts").uploadId(upload).partNumber(1));
    assertS3Error(() -> bob.uploadPartCopy(u -> u.sourceBucket("private-bucket").sourceKey("kept")
        .destinationBucket("bobs-copies").destinationKey("parts").uploadId(upload).partNumber(2)), 403, "AccessDenied");
    bob.abortMultipartUpload(a -> a.bucket("bobs-copies").key("parts").uploadId(upload));
  }
}
