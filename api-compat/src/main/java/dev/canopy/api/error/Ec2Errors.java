package dev.canopy.api.error;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.xml.XmlWriter;

/** EC2's view of failures: authentication kinds mapped to EC2 codes, and EC2's XML error body. */
public final class Ec2Errors {

  private Ec2Errors() {}

  /** The error EC2 returns for an authentication or payload failure. */
  public static AwsException fromAuth(AuthException e) {
    return switch (e.kind()) {
      case MISSING -> Ec2Error.MISSING_AUTHENTICATION_TOKEN.exception();
      case UNKNOWN_ACCESS_KEY -> Ec2Error.AUTH_FAILURE.exception();
      // A known key with a signature that does not cover this request (a wrong secret, or a
      // body or parameter changed after signing).
      // A signature version EC2 no longer accepts is AuthFailure.
      case SIGNATURE_MISMATCH ->
          e.detail() == AuthException.Detail.UNSUPPORTED_ALGORITHM
              ? Ec2Error.AUTH_FAILURE.exception()
              : Ec2Error.SIGNATURE_DOES_NOT_MATCH.exception();
      case TIME_SKEWED, EXPIRED -> Ec2Error.REQUEST_EXPIRED.exception();
      // A scope naming another region or service is AuthFailure on EC2 ("Credential should be
      // scoped to a valid region."); a signature that cannot be parsed is IncompleteSignature.
      case MALFORMED ->
          e.detail() == AuthException.Detail.CREDENTIAL_SCOPE
              ? Ec2Error.AUTH_FAILURE.exception("Credential should be scoped correctly: " + e.getMessage())
              : Ec2Error.INCOMPLETE_SIGNATURE.exception(e.getMessage());
      case CONTENT_SHA256_MISMATCH, BAD_DIGEST, INVALID_DIGEST, INCOMPLETE_BODY ->
          Ec2Error.INVALID_PARAMETER_VALUE.exception(e.getMessage());
    };
  }

  /** EC2's answer to any failure ({@link ServerFailures}): ServiceUnavailable for an unavailable store or grid, else InternalError. */
  public static AwsException fromFailure(Throwable failure) {
    return ServerFailures.toAwsError(failure, Ec2Error.SERVICE_UNAVAILABLE, Ec2Error.INTERNAL_ERROR);
  }

  public static AwsException invalidAction(String action) {
    return Ec2Error.INVALID_ACTION.exception(
        "The action " + action + " is not valid for this web service.");
  }

  public static AwsException invalidParameterValue(String message) {
    return Ec2Error.INVALID_PARAMETER_VALUE.exception(message);
  }

  /** MissingParameter for {@code name}, worded as EC2 words it. */
  public static AwsException missingParameter(String name) {
    return Ec2Error.MISSING_PARAMETER.exception("The request must contain the parameter " + name);
  }

  /** UnknownParameter for {@code name}, worded as EC2 words it. */
  public static AwsException unknownParameter(String name) {
    return Ec2Error.UNKNOWN_PARAMETER.exception("The parameter " + name + " is not recognized");
  }

  public static AwsException invalidParameterCombination(String message) {
    return Ec2Error.INVALID_PARAMETER_COMBINATION.exception(message);
  }

  public static AwsException dryRunOperation() {
    return Ec2Error.DRY_RUN_OPERATION.exception();
  }

  public static AwsException unauthorizedOperation() {
    return Ec2Error.UNAUTHORIZED_OPERATION.exception();
  }

  public static AwsException internalError() {
    return Ec2Error.INTERNAL_ERROR.exception();
  }

  /**
   * EC2's error body: {@code <Response><Errors><Error><Code/><Message/></Error></Errors>
   * <RequestID/></Response>}.
   */
  public static String toXml(AwsException e, String requestId) {
    return new XmlWriter()
        .start("Response")
        .start("Errors")
        .start("Error")
        .element("Code", e.code())
        .element("Message", e.getMessage() == null ? "" : e.getMessage())
        .end()
        .end()
        .element("RequestID", requestId)
        .end()
        .toString();
  }
}
