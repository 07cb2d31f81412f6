package dev.canopy.api.auth;

import static dev.canopy.api.auth.TestRequests.NOW;
import static dev.canopy.api.auth.TestRequests.verifier;
import static dev.canopy.api.auth.TestRequests.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.auth.SdkSigning.Signed;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * A signature seen once must not carry another body: {@link SigV4Verifier#verifyWhole} signs the
 * body actually received, whatever x-amz-content-sha256 claims (EC2 and the admin API).
 */
class WholeBodyBindingTest {

  private static final byte[] SIGNED =
      "Action=CreateKeyPair&Version=2016-11-15&KeyName=signed".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SWAPPED =
      "Action=CreateKeyPair&Version=2016-11-15&KeyName=swapped".getBytes(StandardCharsets.UTF_8);

  /** As the SDK signs over HTTPS with payload signing off: x-amz-content-sha256: UNSIGNED-PAYLOAD. */
  private static Signed unsignedPayload(String service) {
    Signed s =
        SdkSigning.sign(
            SdkSigning.request(SdkHttpMethod.POST, "/").build(),
            SIGNED,
            service,
            NOW,
            p -> p.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    assertThat(s.head().header("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");
    return s;
  }

  private static Signed payloadSigned(String service) {
    return SdkSigning.sign(SdkSigning.request(SdkHttpMethod.POST, "/").build(), SIGNED, service, NOW, p -> {});
  }

  private static Kind refusal(String service, Signed s, byte[] body) {
    Throwable thrown = catchThrowable(() -> verifier(service).verifyWhole(s.head(), body));
    assertThat(thrown).as("verified a request whose signature does not cover its body").isInstanceOf(AuthException.class);
    return ((AuthException) thrown).kind();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec2", "canopy"})
  void anUnsignedPayloadSignatureDoesNotCarryAnotherBody(String service) {
    assertThat(refusal(service, unsignedPayload(service), SWAPPED)).isEqualTo(Kind.SIGNATURE_MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec2", "canopy"})
  void anUnsignedPayloadIsRefusedEvenWithItsOwnBody(String service) {
    // These services sign every body; accepting UNSIGNED-PAYLOAD at all is what opened the replay.
    assertThat(refusal(service, unsignedPayload(service), SIGNED)).isEqualTo(Kind.SIGNATURE_MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec2", "canopy"})
  void aSignedPayloadDoesNotCarryAnotherBody(String service) {
    assertThat(refusal(service, payloadSigned(service), SWAPPED)).isEqualTo(Kind.SIGNATURE_MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec2", "canopy"})
  void aSignedPayloadVerifiesWithItsOwnBody(String service) throws AuthException {
    assertThat(verifier(service).verifyWhole(payloadSigned(service).head(), SIGNED).accountId())
        .isEqualTo(TestRequests.ACCOUNT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UNSIGNED-PAYLOAD", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})
  void aRewrittenContentSha256HeaderDoesNotVerify(String claimed) {
    Signed s = payloadSigned("ec2");
    Signed rewritten = new Signed(withHeader(s.head(), "x-amz-content-sha256", claimed), s.body());
    assertThat(refusal("ec2", rewritten, SWAPPED)).isEqualTo(Kind.SIGNATURE_MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "not-a-hash"})
  void streamingAndUnknownModesAreMalformed(String claimed) {
    Signed s = payloadSigned("ec2");
    Signed rewritten = new Signed(withHeader(s.head(), "x-amz-content-sha256", claimed), s.body());
    assertThat(refusal("ec2", rewritten, SIGNED)).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void ec2AnswersSignatureDoesNotMatchWith403() {
    AwsException ec2 = Ec2Errors.fromAuth(new AuthException(refusal("ec2", unsignedPayload("ec2"), SWAPPED), "x"));
    assertThat(ec2.code()).isEqualTo("SignatureDoesNotMatch");
    assertThat(ec2.httpStatus()).isEqualTo(403);
  }
}
