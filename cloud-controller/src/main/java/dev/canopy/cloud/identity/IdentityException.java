package dev.canopy.cloud.identity;

/** An identity request the caller can correct: a bad name, a taken name, an unknown account. */
public final class IdentityException extends RuntimeException {

  /** What went wrong, with the HTTP status the admin API answers. */
  public enum Reason {
    INVALID_NAME(400),
    ALREADY_EXISTS(409),
    NOT_FOUND(404),
    /** The account still owns resources. */
    DELETE_CONFLICT(409),
    /** No such access key in that account. */
    NO_SUCH_KEY(404),
    /** The account already has as many access keys as it may. */
    LIMIT_EXCEEDED(409);

    public final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }
  }

  private final Reason reason;

  public IdentityException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
