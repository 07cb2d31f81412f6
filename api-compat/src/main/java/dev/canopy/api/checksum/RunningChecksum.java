package dev.canopy.api.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.zip.Checksum;

/** A checksum being computed over a stream; one instance per stream, not thread safe. */
public interface RunningChecksum {

  void update(ByteBuffer bytes);

  void update(byte[] bytes, int offset, int length);

  /** The digest so far, big-endian. */
  byte[] digest();

  /** {@link #digest()} in base64: the form S3 puts in {@code x-amz-checksum-*}. */
  default String base64() {
    return Base64.getEncoder().encodeToString(digest());
  }

  static RunningChecksum ofCrc(Checksum crc, int lengthBytes) {
    return new RunningChecksum() {
      @Override
      public void update(ByteBuffer bytes) {
        crc.update(bytes);
      }

      @Override
      public void update(byte[] bytes, int offset, int length) {
        crc.update(bytes, offset, length);
      }

      @Override
      public byte[] digest() {
        long value = crc.getValue();
        byte[] out = new byte[lengthBytes];
        for (int i = 0; i < lengthBytes; i++) {
          out[lengthBytes - 1 - i] = (byte) (value >>> (8 * i));
        }
        return out;
      }
    };
  }

  static RunningChecksum ofDigest(MessageDigest md) {
    return new RunningChecksum() {
      @Override
      public void update(ByteBuffer bytes) {
        md.update(bytes);
      }

      @Override
      public void update(byte[] bytes, int offset, int length) {
        md.update(bytes, offset, length);
      }

      @Override
      public byte[] digest() {
        try {
          // Cloning keeps the running state, so digest() may be called mid-stream.
          return ((MessageDigest) md.clone()).digest();
        } catch (CloneNotSupportedException e) {
          throw new IllegalStateException("JDK digests are cloneable", e);
        }
      }
    };
  }
}
