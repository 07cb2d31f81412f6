package dev.canopy.cloud.consolelogin;

/**
 * What a console password must be: NIST SP 800-63B's rules for a memorized secret chosen by its
 * user, with a longer minimum since operators' and tenants' consoles reach whole clouds. No
 * composition rules (they make passwords weaker in practice); any Unicode is allowed.
 */
public final class PasswordRules {

  public static final int LENGTH_MIN = 12;
  /** Long passphrases are welcome; the cap only bounds the work of hashing one. */
  public static final int LENGTH_MAX = 256;

  private PasswordRules() {}

  /** @throws InvalidPasswordException with a reason a user can act on */
  public static void check(String password) {
    if (password == null || password.isEmpty()) {
      throw new InvalidPasswordException("a password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < LENGTH_MIN) {
      throw new InvalidPasswordException("a console password has at least " + LENGTH_MIN + " characters");
    }
    if (length > LENGTH_MAX) {
      throw new InvalidPasswordException("a console password has at most " + LENGTH_MAX + " characters");
    }
    if (password.isBlank()) {
      throw new InvalidPasswordException("a console password cannot be only spaces");
    }
    if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidPasswordException("a console password cannot contain control characters");
    }
  }

  /** A password that the rules refuse; its message says which rule, never the password. */
  public static final class InvalidPasswordException extends RuntimeException {
    InvalidPasswordException(String message) {
      super(message, null, false, false);
    }
  }
}
