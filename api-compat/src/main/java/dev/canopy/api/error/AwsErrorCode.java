package dev.canopy.api.error;

/**
 * An AWS error code a service returns, with its HTTP status and AWS's default message. Each
 * service lists its codes as an enum implementing this; the exceptions are built here once.
 */
public interface AwsErrorCode {

  int httpStatus();

  String code();

  String defaultMessage();

  /** A new exception with the default message. */
  default AwsException exception() {
    return new AwsException(httpStatus(), code(), defaultMessage());
  }

  /** A new exception with a specific message (never put secrets in it). */
  default AwsException exception(String message) {
    return new AwsException(httpStatus(), code(), message);
  }
}
