package dev.canopy.storage.s3.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessControlListTest {

  private static final String OWNER = "111111111111";

  @ParameterizedTest
  @ValueSource(strings = {"private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read",
      "bucket-owner-full-control", "aws-exec-read"})
  void cannedListsSurviveTheirStoredForm(String canned) {
    AccessControlList acl = AccessControlList.canned(canned, OWNER, true);
    assertThat(AccessControlList.fromText(acl.toText(OWNER), OWNER)).isEqualTo(acl);
    assertThat(acl.grants()).contains(new Grant(Grantee.account(OWNER), Permission.FULL_CONTROL));
  }

  @ParameterizedTest
  @CsvSource({"private,", "bucket-owner-full-control,", "public-read,READ", "public-read-write,READ"})
  void privateIsStoredAsNothingAndObjectsAreNeverPubliclyWritable(String canned, String allUsers) {
    AccessControlList acl = AccessControlList.canned(canned, OWNER, false);
    assertThat(acl.toText(OWNER) == null).isEqualTo(allUsers == null);
    assertThat(acl.allows(null, Permission.WRITE)).isFalse();
    assertThat(acl.allows(null, Permission.READ)).isEqualTo(allUsers != null);
  }

  @ParameterizedTest
  @CsvSource({"public-write,400", "log-delivery-write,501"})
  void unknownCannedAclsAreRefused(String canned, int status) {
    assertThatThrownBy(() -> AccessControlList.canned(canned, OWNER, true))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.httpStatus()).isEqualTo(status));
  }

  @org.junit.jupiter.api.Test
  void fullControlCoversEveryPermission() {
    AccessControlList acl = new AccessControlList(List.of(new Grant(Grantee.account("222222222222"), Permission.FULL_CONTROL)));
    for (Permission p : Permission.values()) {
      assertThat(acl.allows("222222222222", p)).isTrue();
      assertThat(acl.allows("333333333333", p)).isFalse();
    }
  }
}
