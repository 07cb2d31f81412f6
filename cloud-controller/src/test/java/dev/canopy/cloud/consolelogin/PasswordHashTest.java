package dev.canopy.cloud.consolelogin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

  /** Cheap, so the test is fast; the format and the checks are those of the default cost. */
  private static final PasswordHash.Cost CHEAP = new PasswordHash.Cost(64, 1, 1);
  private final SecureRandom random = new SecureRandom();

  @Test
  void aHashVerifiesItsPasswordOnlyAndCarriesItsCost() {
    String hash = PasswordHash.hash("correct horse battery staple", CHEAP, random);

    assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain("correct horse");
    assertThat(PasswordHash.verify("correct horse battery staple", hash)).isTrue();
    assertThat(PasswordHash.verify("correct horse battery stapler", hash)).isFalse();
    assertThat(PasswordHash.verify("", hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertThat(PasswordHash.hash("same password twice", CHEAP, random))
        .isNotEqualTo(PasswordHash.hash("same password twice", CHEAP, random));
  }

  @Test
  void theDefaultCostIsOwaspsArgon2idSetting() {
    String hash = PasswordHash.hash("ünïcødé pass phrase", PasswordHash.Cost.DEFAULT, random);

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHash.verify("ünïcødé pass phrase", hash)).isTrue();
  }

  @Test
  void aDecoyIsShapedLikeARealHashOfItsCostAndVerifiesNoPassword() {
    String real = PasswordHash.hash("some password", CHEAP, random);
    String decoy = PasswordHash.decoy(CHEAP, random);

    // Same prefix, salt and digest lengths: verify parses it and runs the full hash, as for a real one.
    assertThat(decoy).startsWith("$argon2id$v=19$m=64,t=1,p=1$").hasSameSizeAs(real)
        .isNotEqualTo(PasswordHash.decoy(CHEAP, random));
    assertThat(decoy.split("\\$")).hasSameSizeAs(real.split("\\$"));
    for (String password : new String[] {"", "some password", "no account has this password"}) {
      assertThat(PasswordHash.verify(password, decoy)).as(password).isFalse();
    }
  }

  @Test
  void malformedOrTamperedHashesVerifyNothing() {
    String hash = PasswordHash.hash("a fine password", CHEAP, random);
    for (String bad : new String[] {null, "", "plain", hash.replace("argon2id", "argon2i"), hash.replace("v=19", "v=16"),
        hash.replace("m=64", "m=9999999"), hash.replace("t=1", "t=99"), hash.substring(0, hash.lastIndexOf('$')),
        hash + "$extra"}) {
      assertThat(PasswordHash.verify("a fine password", bad)).as(String.valueOf(bad)).isFalse();
    }
  }
}
