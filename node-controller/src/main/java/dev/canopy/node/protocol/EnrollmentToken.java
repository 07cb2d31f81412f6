package dev.canopy.node.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A one-time enrollment token as people copy it: {@code canopy1.<id>.<secret>.<caSha256>}. The
 * id finds the controller's record, the secret proves possession (the controller keeps only
 * its hash), and the CA fingerprint lets the agent verify the controller before it sends the
 * secret.
 */
public record EnrollmentToken(String id, String secret, String caSha256) {

  public static final String PREFIX = "canopy1";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16,64}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public EnrollmentToken {
    if (!ID.matcher(id).matches() || !SECRET.matcher(secret).matches() || !SHA256.matcher(caSha256).matches()) {
      throw new IllegalArgumentException("not a canopy1 enrollment token");
    }
  }

  public static Optional<EnrollmentToken> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.strip().split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new EnrollmentToken(parts[1], parts[2], parts[3].toLowerCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public String format() {
    return PREFIX + "." + id + "." + secret + "." + caSha256;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "EnrollmentToken[id=" + id + ", ca=" + caSha256 + "]";
  }
}
