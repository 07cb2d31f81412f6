package dev.canopy.cloud.identity;

import java.security.SecureRandom;

/** Makes account ids and access keys in AWS's formats from an injected random source. */
final class KeyGenerator {

  private static final char[] KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private final SecureRandom random;

  KeyGenerator(SecureRandom random) {
    this.random = random;
  }

  /** 12 decimal digits, never starting with 0 (AWS account ids look like this). */
  String accountId() {
    StringBuilder id = new StringBuilder().append(1 + random.nextInt(9));
    for (int i = 1; i < 12; i++) {
      id.append(random.nextInt(10));
    }
    return id.toString();
  }

  /** "AKIA" and 16 base-32 characters: 80 random bits. */
  String accessKeyId() {
    return "AKIA" + pick(KEY_ID_ALPHABET, 16);
  }

  /** 40 characters of base-64 alphabet: 240 random bits. */
  String secretAccessKey() {
    return pick(SECRET_ALPHABET, 40);
  }

  private String pick(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return new String(out);
  }
}
