package dev.canopy.storage.kv.riak;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * Riak's base-62 identifiers: server-chosen keys and multipart boundaries (random, like Riak's
 * {@code unique_id_62}) and the ETag of an object with siblings (its MD5 in base 62).
 */
final class Base62 {

  private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  /** 22 digits carry 130 bits: as many as Riak's SHA-derived ids, unguessable and collision-free in practice. */
  static final int ID_DIGITS = 22;

  private final RandomGenerator random;

  /** @param random a source good enough that keys chosen for clients never collide (a SecureRandom in production) */
  Base62(RandomGenerator random) {
    this.random = random;
  }

  String uniqueId() {
    StringBuilder id = new StringBuilder(ID_DIGITS);
    for (int i = 0; i < ID_DIGITS; i++) {
      id.append(DIGITS.charAt(random.nextInt(DIGITS.length())));
    }
    return id.toString();
  }

  /** The MD5 of {@code bytes} as a base-62 number, as Riak tags an object with siblings. */
  static String md5(byte[] bytes) {
    try {
      BigInteger value = new BigInteger(1, MessageDigest.getInstance("MD5").digest(bytes));
      return digits(value);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  private static String digits(BigInteger value) {
    if (value.signum() == 0) {
      return "0";
    }
    StringBuilder out = new StringBuilder();
    BigInteger base = BigInteger.valueOf(DIGITS.length());
    BigInteger rest = value;
    while (rest.signum() > 0) {
      BigInteger[] division = rest.divideAndRemainder(base);
      out.append(DIGITS.charAt(division[1].intValue()));
      rest = division[0];
    }
    return out.reverse().toString();
  }
}
