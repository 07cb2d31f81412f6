package dev.canopy.cloud.resources;

import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * EC2 resource ids in AWS's long format: a prefix and 17 lowercase hex digits
 * ({@code i-0123456789abcdef0}, {@code sg-...}, {@code key-...}, {@code r-...}, {@code ami-...}).
 * Randomness is injected so simulations and tests can replay ids.
 */
public final class ResourceIds {

  private static final Pattern LONG_ID = Pattern.compile("[a-z]+-[0-9a-f]{17}");
  private final RandomGenerator random;

  public ResourceIds(RandomGenerator random) {
    this.random = random;
  }

  public String next(String prefix) {
    byte[] bytes = new byte[9];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return prefix + "-" + HexFormat.of().formatHex(bytes).substring(0, 17);
  }

  /** True when {@code id} has the shape of an id with this prefix (AWS's *.Malformed checks). */
  public static boolean isWellFormed(String prefix, String id) {
    return id != null && id.startsWith(prefix + "-") && LONG_ID.matcher(id).matches();
  }
}
