package dev.canopy.cloud.membership;

/**
 * A join or leave refused, with the error code and HTTP status the admin API answers and a message
 * that tells the operator what to do.
 */
public final class MembershipRefused extends RuntimeException {

  private final int httpStatus;
  private final String code;

  MembershipRefused(int httpStatus, String code, String message) {
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
