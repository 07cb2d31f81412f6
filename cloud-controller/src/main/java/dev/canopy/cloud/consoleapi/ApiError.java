package dev.canopy.cloud.consoleapi;

/**
 * A refusal the client can act on, as a value: its HTTP status, AWS-style code and a message that is
 * safe to send back. Cheap to throw (no stack trace): it is an answer, not a bug.
 */
public class ApiError extends RuntimeException {

  private final int httpStatus;
  private final String code;

  public ApiError(int httpStatus, String code, String message) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
    this.code = code;
  }

  /** 400 {@code InvalidParameterValue}: a query value that is missing or malformed. */
  public static ApiError invalidParameter(String message) {
    return new ApiError(400, "InvalidParameterValue", message);
  }

  /** 403 {@code AccessDenied}: signed, but not by someone who may read this. */
  public static ApiError accessDenied(String message) {
    return new ApiError(403, "AccessDenied", message);
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String code() {
    return code;
  }
}
