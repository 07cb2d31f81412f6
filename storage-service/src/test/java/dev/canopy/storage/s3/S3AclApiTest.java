package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.BOB;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/** Get/Put Bucket ACL and Object ACL with the SDK's grant model, and their refusals. */
class S3AclApiTest {

  private static final String BUCKET = "acls";
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static S3Client alice;
  private static S3Client bob;

  @BeforeAll
  static void clients() {
    alice = s3.alice();
    bob = s3.server().client(BOB);
    alice.putObject(p -> p.bucket(BUCKET).key("doc"), RequestBody.fromString("text"));
  }

  private static Grant userGrant(String account, Permission permission) {
    return Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(account).build()).permission(permission).build();
  }

  private static Grant allUsersGrant(Permission permission) {
    return Grant.builder().grantee(Grantee.builder().type(Type.GROUP).uri(ALL_USERS).build()).permission(permission).build();
  }

  private static AccessControlPolicy policyOf(Grant... grants) {
    return AccessControlPolicy.builder().owner(Owner.builder().id(ALICE.accountId()).build()).grants(grants).build();
  }

  @Test
  void aBucketAclPutAsAPolicyDocumentReadsBackAndGrants() {
    alice.createBucket(c -> c.bucket("acl-body"));
    AccessControlPolicy acp = policyOf(
        userGrant(ALICE.accountId(), Permission.FULL_CONTROL), userGrant(BOB.accountId(), Permission.READ),
        allUsersGrant(Permission.READ_ACP));
    alice.putBucketAcl(p -> p.bucket("acl-body").accessControlPolicy(acp));
    GetBucketAclResponse acl = alice.getBucketAcl(g -> g.bucket("acl-body"));
    assertThat(acl.owner().id()).isEqualTo(ALICE.accountId());
    assertThat(acl.owner().displayName()).isEqualTo(ALICE.accountId());
    assertThat(acl.grants()).extracting(g -> g.grantee().type(), g -> g.grantee().id(), g -> g.grantee().uri(), Grant::permission)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Type.CANONICAL_USER, ALICE.accountId(), null, Permission.FULL_CONTROL),
            org.assertj.core.groups.Tuple.tuple(Type.CANONICAL_USER, BOB.accountId(), null, Permission.READ),
            org.assertj.core.groups.Tuple.tuple(Type.GROUP, null, ALL_USERS, Permission.READ_ACP));
    // READ lets Bob list; READ_ACP lets Bob (anyone) read the ACL; neither lets him write.
    assertThat(bob.listObjectsV2(l -> l.bucket("acl-body")).keyCount()).isZero();
    assertThat(bob.getBucketAcl(g -> g.bucket("acl-body")).grants()).hasSize(3);
    assertS3Error(() -> bob.putBucketAcl(p -> p.bucket("acl-body").acl(BucketCannedACL.PUBLIC_READ_WRITE)), 403, "AccessDenied");
    assertS3Error(() -> bob.putObject(p -> p.bucket("acl-body").key("k"), RequestBody.fromString("x")), 403, "AccessDenied");
    // Back to private with a canned ACL.
    alice.putBucketAcl(p -> p.bucket("acl-body").acl(BucketCannedACL.PRIVATE));
    assertThat(alice.getBucketAcl(g -> g.bucket("acl-body")).grants()).singleElement()
        .satisfies(g -> assertThat(g.permission()).isEqualTo(Permission.FULL_CONTROL));
    assertS3Error(() -> bob.listObjectsV2(l -> l.bucket("acl-body")), 403, "AccessDenied");
  }

  @Test
  void anObjectAclSetByGrantHeadersReadsBackAndLetsTheGranteeRead() {
    alice.putObjectAcl(p -> p.bucket(BUCKET).key("doc")
        .grantRead("id=\"" + BOB.accountId() + "\"").grantFullControl("id=" + ALICE.accountId()));
    GetObjectAclResponse acl = alice.getObjectAcl(g -> g.bucket(BUCKET).key("doc"));
    assertThat(acl.grants()).extracting(g -> g.grantee().id(), Grant::permission).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(BOB.accountId(), Permission.READ),
        org.assertj.core.groups.Tuple.tuple(ALICE.accountId(), Permission.FULL_CONTROL));
    assertThat(bob.getObjectAsBytes(g -> g.bucket(BUCKET).key("doc")).asUtf8String()).isEqualTo("text");
    assertS3Error(() -> bob.getObjectAcl(g -> g.bucket(BUCKET).key("doc")), 403, "AccessDenied");
    // Rewriting the ACL keeps the object's bytes and ETag.
    String etag = alice.headObject(h -> h.bucket(BUCKET).key("doc")).eTag();
    alice.putObjectAcl(p -> p.bucket(BUCKET).key("doc").acl(ObjectCannedACL.PRIVATE));
    assertThat(alice.headObject(h -> h.bucket(BUCKET).key("doc")).eTag()).isEqualTo(etag);
    assertS3Error(() -> bob.getObject(g -> g.bucket(BUCKET).key("doc")), 403, "AccessDenied");
    assertS3Error(() -> alice.getObjectAcl(g -> g.bucket(BUCKET).key("missing")), 404, "NoSuchKey");
    assertS3Error(() -> alice.putObjectAcl(p -> p.bucket(BUCKET).key("missing").acl(ObjectCannedACL.PUBLIC_READ)), 404, "NoSuchKey");
  }

  @Test
  void badAclsGetS3sErrors() throws Exception {
    assertS3Error(() -> alice.putObjectAcl(p -> p.bucket(BUCKET).key("doc").grantRead("id=bob")), 400, "InvalidArgument");
    assertS3Error(() -> alice.putObjectAcl(p -> p.bucket(BUCKET).key("doc").grantRead("emailAddress=\"bob@example.com\"")),
        400, "UnresolvableGrantByEmailAddress");
    assertS3Error(() -> alice.putObjectAcl(p -> p.bucket(BUCKET).key("doc").grantRead("uri=\"http://example.com/everyone\"")),
        400, "InvalidArgument");
    assertS3Error(() -> alice.putBucketAcl(p -> p.bucket(BUCKET).acl(BucketCannedACL.PUBLIC_READ)
        .accessControlPolicy(policyOf(allUsersGrant(Permission.READ)))), 400, "UnexpectedContent");
    AccessControlPolicy badPermission = policyOf(Grant.builder()
        .grantee(Grantee.builder().type(Type.CANONICAL_USER).id(BOB.accountId()).build()).permission("READ_EVERYTHING").build());
    assertS3Error(() -> alice.putBucketAcl(p -> p.bucket(BUCKET).accessControlPolicy(badPermission)), 400, "MalformedACLError");
    AccessControlPolicy givenAway = AccessControlPolicy.builder().owner(Owner.builder().id(BOB.accountId()).build())
        .grants(userGrant(BOB.accountId(), Permission.FULL_CONTROL)).build();
    assertS3Error(() -> alice.putBucketAcl(p -> p.bucket(BUCKET).accessControlPolicy(givenAway)), 403, "AccessDenied");
    HttpResponse<String> notXml = s3.http().send("PUT", "/" + BUCKET + "?acl", "<AccessControlPolicy><oops".getBytes());
    assertThat(notXml.statusCode()).isEqualTo(400);
    assertThat(notXml.body()).contains("<Code>MalformedACLError</Code>");
    HttpResponse<String> nothing = s3.http().send("PUT", "/" + BUCKET + "?acl", new byte[0]);
    assertThat(nothing.statusCode()).isEqualTo(400);
    assertThat(nothing.body()).contains("<Code>MissingSecurityHeader</Code>");
    // Nothing above changed the bucket's ACL.
    assertThat(alice.getBucketAcl(g -> g.bucket(BUCKET)).grants()).singleElement()
        .satisfies(g -> assertThat(g.grantee().id()).isEqualTo(ALICE.accountId()));
  }
}
