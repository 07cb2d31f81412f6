package dev.canopy.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorsTest {

  @ParameterizedTest
  @CsvSource({
    "MISSING, 403, AccessDenied",
    "MALFORMED, 400, AuthorizationHeaderMalformed",
    "UNKNOWN_ACCESS_KEY, 403, InvalidAccessKeyId",
    "SIGNATURE_MISMATCH, 403, SignatureDoesNotMatch",
    "TIME_SKEWED, 403, RequestTimeTooSkewed",
    "EXPIRED, 403, AccessDenied",
    "CONTENT_SHA256_MISMATCH, 400, XAmzContentSHA256Mismatch",
    "BAD_DIGEST, 400, BadDigest",
    "INVALID_DIGEST, 400, InvalidDigest",
    "INCOMPLETE_BODY, 400, IncompleteBody",
  })
  void s3FromAuth(Kind kind, int status, String code) {
    AwsException e = S3Errors.fromAuth(new AuthException(kind, "detail"));

    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
  }

  @Test
  void s3MalformedVariants() {
    assertThat(S3Errors.fromAuth(new AuthException(Kind.MALFORMED, Detail.NONE, true, "x")).code())
        .isEqualTo("AuthorizationQueryParametersError");
    assertThat(S3Errors.fromAuth(new AuthException(Kind.MALFORMED, Detail.MISSING_CONTENT_SHA256, false, "x")).code())
        .isEqualTo("InvalidRequest");
    assertThat(S3Errors.fromAuth(new AuthException(Kind.MISSING, "x")).getMessage()).isEqualTo("Access Denied");
    assertThat(S3Errors.fromAuth(new AuthException(Kind.UNKNOWN_ACCESS_KEY, "x")).getMessage())
        .isEqualTo("The AWS Access Key Id you provided does not exist in our records.");
  }

  @ParameterizedTest
  @CsvSource({
    "MISSING, 401, MissingAuthenticationToken",
    "MALFORMED, 400, IncompleteSignature",
    "UNKNOWN_ACCESS_KEY, 401, AuthFailure",
    "SIGNATURE_MISMATCH, 403, SignatureDoesNotMatch",
    "TIME_SKEWED, 400, RequestExpired",
    "EXPIRED, 400, RequestExpired",
    "CONTENT_SHA256_MISMATCH, 400, InvalidParameterValue",
    "BAD_DIGEST, 400, InvalidParameterValue",
    "INVALID_DIGEST, 400, InvalidParameterValue",
    "INCOMPLETE_BODY, 400, InvalidParameterValue",
  })
  void ec2FromAuth(Kind kind, int status, String code) {
    AwsException e = Ec2Errors.fromAuth(new AuthException(kind, "detail"));

    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
  }

  @Test
  void s3ErrorXml() {
    String xml = S3Errors.toXml(S3Error.NO_SUCH_KEY.exception(), "/photos/a&b.jpg", "4442587FB7D0A2F9");

    assertThat(xml)
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                + "<Resource>/photos/a&amp;b.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>");
  }

  @Test
  void ec2ErrorXml() {
    String xml = Ec2Errors.toXml(Ec2Error.INVALID_PARAMETER_VALUE.exception("Value (<x>) is bad"), "ea966190-f9aa-478e-9ede-example");

    assertThat(xml)
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Response><Errors><Error><Code>InvalidParameterValue</Code>"
                + "<Message>Value (&lt;x&gt;) is bad</Message></Error></Errors>"
                + "<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>");
  }

  @ParameterizedTest
  @CsvSource({
    "NO_SUCH_BUCKET, 404, NoSuchBucket",
    "NO_SUCH_KEY, 404, NoSuchKey",
    "BUCKET_ALREADY_EXISTS, 409, BucketAlreadyExists",
    "BUCKET_ALREADY_OWNED_BY_YOU, 409, BucketAlreadyOwnedByYou",
    "BUCKET_NOT_EMPTY, 409, BucketNotEmpty",
    "INVALID_BUCKET_NAME, 400, InvalidBucketName",
    "INVALID_RANGE, 416, InvalidRange",
    "NO_SUCH_UPLOAD, 404, NoSuchUpload",
    "INVALID_PART, 400, InvalidPart",
    "INVALID_PART_ORDER, 400, InvalidPartOrder",
    "ENTITY_TOO_SMALL, 400, EntityTooSmall",
    "ENTITY_TOO_LARGE, 400, EntityTooLarge",
    "MALFORMED_XML, 400, MalformedXML",
    "INVALID_ARGUMENT, 400, InvalidArgument",
    "METHOD_NOT_ALLOWED, 405, MethodNotAllowed",
    "NOT_IMPLEMENTED, 501, NotImplemented",
    "INVALID_REQUEST, 400, InvalidRequest",
    "MISSING_CONTENT_LENGTH, 411, MissingContentLength",
    "KEY_TOO_LONG, 400, KeyTooLongError",
    "INTERNAL_ERROR, 500, InternalError",
    "ILLEGAL_LOCATION_CONSTRAINT, 400, IllegalLocationConstraintException",
    "PRECONDITION_FAILED, 412, PreconditionFailed",
  })
  void s3Codes(S3Error error, int status, String code) {
    AwsException e = error.exception("custom");

    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).isEqualTo("custom");
  }

  @ParameterizedTest
  @CsvSource({
    "INVALID_ACTION, 400, InvalidAction",
    "INVALID_PARAMETER_VALUE, 400, InvalidParameterValue",
    "MISSING_PARAMETER, 400, MissingParameter",
    "UNKNOWN_PARAMETER, 400, UnknownParameter",
    "INVALID_PARAMETER_COMBINATION, 400, InvalidParameterCombination",
    "DRY_RUN_OPERATION, 412, DryRunOperation",
    "UNAUTHORIZED_OPERATION, 403, UnauthorizedOperation",
    "INTERNAL_ERROR, 500, InternalError",
  })
  void ec2Codes(Ec2Error error, int status, String code) {
    assertThat(error.exception().httpStatus()).isEqualTo(status);
    assertThat(error.exception().code()).isEqualTo(code);
  }

  @Test
  void factories() {
    assertThat(S3Errors.noSuchBucket().code()).isEqualTo("NoSuchBucket");
    assertThat(S3Errors.invalidArgument("x").getMessage()).isEqualTo("x");
    assertThat(Ec2Errors.invalidAction("Frobnicate").getMessage())
        .isEqualTo("The action Frobnicate is not valid for this web service.");
    assertThat(Ec2Errors.missingParameter("ImageId").code()).isEqualTo("MissingParameter");
    assertThat(Ec2Errors.dryRunOperation().httpStatus()).isEqualTo(412);
    assertThat(Ec2Errors.internalError().httpStatus()).isEqualTo(500);
  }

  @ParameterizedTest
  @EnumSource(S3Error.class)
  void everyS3ErrorRendersAsXml(S3Error error) {
    assertThat(S3Errors.toXml(error.exception(), null, "r")).contains("<Code>" + error.code() + "</Code>")
        .doesNotContain("<Resource>");
  }
}
