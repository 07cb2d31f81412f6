package dev.canopy.storage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The directory API's paths: a name goes into a path only in a shape Canopy issues, so it never needs escaping. */
class DirectoryPathsTest {

  @Test
  void namesOfTheIssuedShapesBecomePathsAsTheyAre() {
    assertThat(DirectoryPaths.credential("AKIAABCDEFGHIJKLMNOP")).isEqualTo("/v1/credentials/AKIAABCDEFGHIJKLMNOP");
    assertThat(DirectoryPaths.bucket("photos-2026.backup")).isEqualTo("/v1/buckets/photos-2026.backup");
    assertThat(DirectoryPaths.bucketsOwnedBy("111122223333")).isEqualTo("/v1/buckets?owner=111122223333");
  }

  @Test
  void internalAccountIdsAreEncodedInTheQuery() {
    assertThat(DirectoryPaths.bucketsOwnedBy("canopy:image-reader")).isEqualTo("/v1/buckets?owner=canopy%3Aimage-reader");
  }

  @Test
  void namesThatCouldBreakOutOfTheirPathAreRefused() {
    for (String key : new String[] {"AKIA/../admin", "AKIA?x=1", "AKIA%2F", "", "A".repeat(129), "AKIA KEY"}) {
      assertThat(DirectoryPaths.isAccessKeyId(key)).as(key).isFalse();
      assertThatThrownBy(() -> DirectoryPaths.credential(key)).as(key).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bucket : new String[] {"../etc", "Photos", "a", "photos?owner=x", "photos/../x"}) {
      assertThatThrownBy(() -> DirectoryPaths.bucket(bucket)).as(bucket).isInstanceOf(IllegalArgumentException.class);
    }
    for (String account : new String[] {"1111&owner=2222", "a/b", "", "x".repeat(65), "acct#1"}) {
      assertThatThrownBy(() -> DirectoryPaths.bucketsOwnedBy(account)).as(account).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(DirectoryPaths.isAccessKeyId(null)).isFalse();
    assertThat(DirectoryPaths.isAccountId("x".repeat(64))).isTrue();
  }
}
