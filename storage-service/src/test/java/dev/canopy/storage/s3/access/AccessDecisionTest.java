package dev.canopy.storage.s3.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Owner, policy and ACLs together, in S3's order: explicit deny, owner, allow, grant, refusal. */
class AccessDecisionTest {

  private static final String OWNER = "111111111111";
  private static final String OTHER = "222222222222";
  private static final BucketPolicy DENY_ALL = PolicyParser.parse("{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
      + "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}]}", "b");
  private static final BucketPolicy ALLOW_OTHER_GET = PolicyParser.parse("{\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"AWS\":\"" + OTHER + "\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}", "b");
  private static final AccessControlList PRIVATE = AccessControlList.privateTo(OWNER);
  private static final AccessControlList PUBLIC_READ = AccessControlList.canned("public-read", OWNER, false);
  private static final AccessControlList PUBLIC_WRITE = AccessControlList.canned("public-read-write", OWNER, true);
  private static final AccessControlList AUTHENTICATED = AccessControlList.canned("authenticated-read", OWNER, true);
  private static final AccessControlList OTHER_ACP = new AccessControlList(
      List.of(new Grant(Grantee.account(OTHER), Permission.READ_ACP)));

  private static AccessRequest request(String account, String action, String key) {
    return new AccessRequest(account, action, AccessRequest.arn("b", key), Map.of());
  }

  static Stream<Arguments> cases() {
    Optional<AclNeed> objectRead = Optional.of(AclNeed.onObject(Permission.READ));
    Optional<AclNeed> bucketRead = Optional.of(AclNeed.onBucket(Permission.READ));
    Optional<AclNeed> bucketWrite = Optional.of(AclNeed.onBucket(Permission.WRITE));
    Optional<AclNeed> bucketReadAcp = Optional.of(AclNeed.onBucket(Permission.READ_ACP));
    Optional<AclNeed> none = Optional.empty();
    return Stream.of(
        Arguments.of("owner, nothing else", request(OWNER, "s3:GetObject", "k"), BucketPolicy.NONE, objectRead, PRIVATE, PRIVATE, true),
        Arguments.of("other, private", request(OTHER, "s3:GetObject", "k"), BucketPolicy.NONE, objectRead, PRIVATE, PRIVATE, false),
        Arguments.of("anonymous, private", request(null, "s3:GetObject", "k"), BucketPolicy.NONE, objectRead, PRIVATE, PRIVATE, false),
        Arguments.of("anonymous, public-read object", request(null, "s3:GetObject", "k"), BucketPolicy.NONE, objectRead, PRIVATE, PUBLIC_READ, true),
        Arguments.of("a public bucket does not open its objects", request(null, "s3:GetObject", "k"), BucketPolicy.NONE, objectRead, PUBLIC_WRITE, PRIVATE, false),
        Arguments.of("anonymous lists a public-read bucket", request(null, "s3:ListBucket", null), BucketPolicy.NONE, bucketRead, PUBLIC_WRITE, PRIVATE, true),
        Arguments.of("anonymous writes a public-read-write bucket", request(null, "s3:PutObject", "k"), BucketPolicy.NONE, bucketWrite, PUBLIC_WRITE, PRIVATE, true),
        Arguments.of("public-read objects are not writable", request(null, "s3:PutObject", "k"), BucketPolicy.NONE, bucketWrite, PRIVATE, PUBLIC_READ, false),
        Arguments.of("authenticated-read: signed yes", request(OTHER, "s3:ListBucket", null), BucketPolicy.NONE, bucketRead, AUTHENTICATED, PRIVATE, true),
        Arguments.of("authenticated-read: anonymous no", request(null, "s3:ListBucket", null), BucketPolicy.NONE, bucketRead, AUTHENTICATED, PRIVATE, false),
        Arguments.of("READ_ACP grant reads the ACL", request(OTHER, "s3:GetBucketAcl", null), BucketPolicy.NONE, bucketReadAcp, OTHER_ACP, PRIVATE, true),
        Arguments.of("READ_ACP grant does not list", request(OTHER, "s3:ListBucket", null), BucketPolicy.NONE, bucketRead, OTHER_ACP, PRIVATE, false),
        Arguments.of("no grant opens owner-only operations", request(null, "s3:DeleteBucket", null), BucketPolicy.NONE, none, PUBLIC_WRITE, PRIVATE, false),
        Arguments.of("policy allows the other account", request(OTHER, "s3:GetObject", "k"), ALLOW_OTHER_GET, objectRead, PRIVATE, PRIVATE, true),
        Arguments.of("policy allows owner-only operations too", request(OTHER, "s3:GetObject", "k"), ALLOW_OTHER_GET, none, PRIVATE, PRIVATE, true),
        Arguments.of("deny beats the owner", request(OWNER, "s3:GetObject", "k"), DENY_ALL, objectRead, PRIVATE, PRIVATE, false),
        Arguments.of("deny beats a public ACL", request(null, "s3:GetObject", "k"), DENY_ALL, objectRead, PUBLIC_WRITE, PUBLIC_READ, false),
        Arguments.of("owner still deletes the policy", request(OWNER, "s3:DeleteBucketPolicy", null), DENY_ALL, none, PRIVATE, PRIVATE, true),
        Arguments.of("owner still reads the policy", request(OWNER, "s3:GetBucketPolicy", null), DENY_ALL, none, PRIVATE, PRIVATE, true),
        Arguments.of("others never escape a deny on the policy", request(OTHER, "s3:DeleteBucketPolicy", null), DENY_ALL, none, PRIVATE, PRIVATE, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, AccessRequest request, BucketPolicy policy, Optional<AclNeed> need,
      AccessControlList bucketAcl, AccessControlList objectAcl, boolean expected) {
    assertThat(AccessDecision.allows(OWNER, request, policy, need, bucketAcl, () -> objectAcl)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void theOwnerNeverPaysForTheObjectAcl() {
    Supplier<AccessControlList> unread = () -> {
      throw new AssertionError("the object's ACL was read");
    };
    assertThat(AccessDecision.allows(OWNER, request(OWNER, "s3:GetObject", "k"), ALLOW_OTHER_GET,
        Optional.of(AclNeed.onObject(Permission.READ)), PRIVATE, unread)).isTrue();
  }
}
