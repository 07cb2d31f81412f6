package dev.canopy.storage.s3;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Draws buckets' ids: {@value #PREFIX} and 128 random bits in hex. The '_' cannot occur in a
 * bucket name, so a new id never equals the name-as-id of a bucket created before ids existed.
 * Thread safe when the generator is (SecureRandom is).
 */
public final class BucketIds {

  static final String PREFIX = "b_";
  private static final int RANDOM_BYTES = 16;

  private final RandomGenerator random;

  public BucketIds(RandomGenerator random) {
    this.random = random;
  }

  public String next() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }

  /** True for an id this class draws, or for a legacy record's id (its name). */
  public static boolean isValid(String id, String name) {
    return id.equals(name)
        || (id.length() == PREFIX.length() + 2 * RANDOM_BYTES && id.startsWith(PREFIX)
            && id.substring(PREFIX.length()).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
  }
}
