package dev.canopy.api.error;

/**
 * The EC2 Query API error codes Canopy returns, with their HTTP status and default message.
 * Statuses follow AWS's common-errors reference, except for authentication: EC2 answers
 * AuthFailure with 401 (seen on the wire, "AWS was not able to validate the provided access
 * credentials"), and Canopy answers MissingAuthenticationToken with 401 to match, where the
 * generic reference lists 403. A known key whose signature does not match is
 * SignatureDoesNotMatch with 403 in the EC2 envelope (seen on the wire: aws/aws-cli#135,
 * mitchellh/vagrant-aws#138). AWS clients read the code from the body, not the status.
 *
 * <pre>{@code throw Ec2Error.MISSING_PARAMETER.exception("The request must contain the parameter ImageId");}</pre>
 */
public enum Ec2Error implements AwsErrorCode {
  AUTH_FAILURE(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
  DRY_RUN_OPERATION(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set."),
  INCOMPLETE_SIGNATURE(400, "IncompleteSignature", "The request signature does not conform to AWS standards."),
  INTERNAL_ERROR(500, "InternalError", "An internal error has occurred."),
  INVALID_ACTION(400, "InvalidAction", "The action or operation requested is invalid."),
  INVALID_REQUEST(400, "InvalidRequest", "The request received was invalid."),
  INVALID_PARAMETER_COMBINATION(
      400, "InvalidParameterCombination", "Parameters that must not be used together were used together."),
  INVALID_PARAMETER_VALUE(
      400, "InvalidParameterValue", "An invalid or out-of-range value was supplied for the input parameter."),
  MALFORMED_QUERY_STRING(404, "MalformedQueryString", "The query string contains a syntax error."),
  MISSING_ACTION(400, "MissingAction", "The request is missing an action or a required parameter."),
  MISSING_AUTHENTICATION_TOKEN(401, "MissingAuthenticationToken", "Request is missing Authentication Token"),
  MISSING_PARAMETER(400, "MissingParameter", "A required parameter for the specified action is not supplied."),
  REQUEST_EXPIRED(400, "RequestExpired", "Request has expired."),
  // EC2's server errors list both 503 codes: ServiceUnavailable for a temporary failure of the
  // server (a store or grid outage), Unavailable for an overloaded server (Canopy: not the leader).
  SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
  SIGNATURE_DOES_NOT_MATCH(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided."
          + " Check your AWS Secret Access Key and signing method."),
  UNAUTHORIZED_OPERATION(403, "UnauthorizedOperation", "You are not authorized to perform this operation."),
  UNKNOWN_PARAMETER(400, "UnknownParameter", "An unknown or unrecognized parameter was supplied.");

  private final int httpStatus;
  private final String code;
  private final String defaultMessage;

  Ec2Error(int httpStatus, String code, String defaultMessage) {
    this.httpStatus = httpStatus;
    this.code = code;
    this.defaultMessage = defaultMessage;
  }

  @Override
  public int httpStatus() {
    return httpStatus;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String defaultMessage() {
    return defaultMessage;
  }
}
