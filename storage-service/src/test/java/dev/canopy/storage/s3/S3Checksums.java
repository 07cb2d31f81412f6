package dev.canopy.storage.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The values S3 puts in {@code x-amz-checksum-*}, computed independently of the server with the
 * JDK: base64 of the big-endian CRC or of the digest.
 */
final class S3Checksums {

  private S3Checksums() {}

  static String crc32(byte[] data) {
    return crc(new CRC32(), data);
  }

  static String crc32c(byte[] data) {
    return crc(new CRC32C(), data);
  }

  static String sha1(byte[] data) {
    return digest("SHA-1", data);
  }

  static String sha256(byte[] data) {
    return digest("SHA-256", data);
  }

  private static String crc(Checksum crc, byte[] data) {
    crc.update(data, 0, data.length);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static String digest(String algorithm, byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is in every JDK", e);
    }
  }
}
