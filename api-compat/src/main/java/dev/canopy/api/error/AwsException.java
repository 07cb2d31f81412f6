package dev.canopy.api.error;

/**
 * An error the client can act on, carrying the AWS error code and HTTP status a real AWS
 * endpoint would return. Thrown by handlers and rendered by each service in its own envelope
 * (S3 {@code <Error>}, EC2 {@code <Response><Errors>}). Bugs are never AwsExceptions.
 */
public class AwsException extends RuntimeException {

  private final int httpStatus;
  private final String code;

  public AwsException(int httpStatus, String code, String message) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
    this.code = code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String code() {
    return code;
  }
}
