package dev.canopy.deploy.dev;

import dev.canopy.api.auth.Credential;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The cloud's internal credential for presigning image downloads. Its account id contains a ':',
 * which no tenant account id (twelve digits) can, so S3's "read any object" grant for it can never
 * apply to a tenant.
 */
final class ImageReader {

  static final String ACCOUNT = "canopy:image-reader";
  /** Long enough for a node to start a download while busy; a link cannot be used after it. */
  static final Duration LINK_LIFETIME = Duration.ofMinutes(15);

  private ImageReader() {}

  static Credential create(SecureRandom random) {
    byte[] id = new byte[10];
    byte[] secret = new byte[30];
    random.nextBytes(id);
    random.nextBytes(secret);
    return new Credential("CNPYIMG" + HexFormat.of().withUpperCase().formatHex(id),
        java.util.Base64.getEncoder().encodeToString(secret), ACCOUNT);
  }
}
