package dev.canopy.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The three primitives SigV4 is made of: SHA-256, HMAC-SHA256 and lower-case hex. */
final class Crypto {

  static final HexFormat HEX = HexFormat.of();

  /** SHA-256 of zero bytes, in hex: the payload hash of an empty body and of empty chunks. */
  static final String EMPTY_SHA256_HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private Crypto() {}

  static MessageDigest newSha256() {
    return newDigest("SHA-256");
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }

  static byte[] sha256(byte[] data) {
    return newSha256().digest(data);
  }

  static String sha256Hex(String text) {
    return HEX.formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] hmacSha256(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  /** Constant-time comparison of two hex signatures, ignoring the case of the one received. */
  static boolean signaturesEqual(String expectedHex, String receivedHex) {
    return MessageDigest.isEqual(
        expectedHex.getBytes(StandardCharsets.US_ASCII),
        receivedHex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }
}
