package dev.canopy.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Enrollment tokens as operators paste them: what is read, what is refused, and that the secret never prints. */
class EnrollmentTokenTest {

  private static final String ID = "0123456789abcdef0123456789abcdef";
  private static final String SECRET = "s3cretS3cretS3cret_-";
  private static final String CA = "ab".repeat(32);
  private static final String TOKEN = "canopy1." + ID + "." + SECRET + "." + CA;

  @Test
  void aTokenReadsBackAsItWasIssued() {
    EnrollmentToken token = EnrollmentToken.parse(TOKEN).orElseThrow();

    assertThat(token.id()).isEqualTo(ID);
    assertThat(token.secret()).isEqualTo(SECRET);
    assertThat(token.caSha256()).isEqualTo(CA);
    assertThat(token.format()).isEqualTo(TOKEN);
  }

  @Test
  void aTokenPastedWithANewlineOrAnUppercaseFingerprintStillReads() {
    EnrollmentToken token = EnrollmentToken.parse("  " + TOKEN.replace(CA, CA.toUpperCase()) + "\n").orElseThrow();

    assertThat(token.caSha256()).as("fingerprints compare in lowercase").isEqualTo(CA);
    assertThat(token.format()).isEqualTo(TOKEN);
  }

  static Stream<String> notTokens() {
    return Stream.of(
      "",
      "canopy1",
      "canopy2." + ID + "." + SECRET + "." + CA,
      "canopy1." + ID + "." + SECRET,
      "canopy1." + ID + "." + SECRET + "." + CA + ".extra",
      "canopy1." + ID + ".." + CA,
      "canopy1.0123." + SECRET + "." + CA,
      "canopy1." + ID + ".short." + CA,
      "canopy1." + ID + "." + SECRET + ".abcd",
      "canopy1." + ID + "." + SECRET + "." + "zz" + "ab".repeat(31),
      "canopy1." + ID + "." + "s3cret with spaces!!" + "." + CA,
      "canopy1.0123456789ABCDEF0123456789ABCDEF." + SECRET + "." + CA);
  }

  @ParameterizedTest
  @MethodSource("notTokens")
  void anythingElseIsNoToken(String text) {
    assertThat(EnrollmentToken.parse(text)).as(text).isEmpty();
  }

  @Test
  void nothingPastedIsNoToken() {
    assertThat(EnrollmentToken.parse(null)).isEmpty();
  }

  @Test
  void aTokenBuiltFromBadPartsIsRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> new EnrollmentToken(ID, "tiny", CA))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("tiny");
  }

  @Test
  void theSecretNeverAppearsInWhatIsPrintedOrLogged() {
    EnrollmentToken token = EnrollmentToken.parse(TOKEN).orElseThrow();

    assertThat(token.toString()).doesNotContain(SECRET).contains(ID).contains(CA);
    assertThat(String.valueOf(token)).doesNotContain(SECRET);
  }
}
