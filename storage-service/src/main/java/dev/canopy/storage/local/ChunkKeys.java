package dev.canopy.storage.local;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Keys of the {@code chunks} family: a 16-byte blob id, then the chunk index big endian. */
final class ChunkKeys {

  static final int BLOB_ID_LENGTH = 16;

  private ChunkKeys() {}

  static byte[] chunk(byte[] blobId, int index) {
    return ByteBuffer.allocate(BLOB_ID_LENGTH + 4).put(blobId).putInt(index).array();
  }

  /** An exclusive upper bound for every chunk key of a blob (longer than any chunk key). */
  static byte[] blobEnd(byte[] blobId) {
    byte[] end = new byte[BLOB_ID_LENGTH + 5];
    System.arraycopy(blobId, 0, end, 0, BLOB_ID_LENGTH);
    java.util.Arrays.fill(end, BLOB_ID_LENGTH, end.length, (byte) 0xFF);
    return end;
  }

  static String hex(byte[] blobId) {
    return HexFormat.of().formatHex(blobId);
  }

  static byte[] unhex(String blobId) {
    return HexFormat.of().parseHex(blobId);
  }
}
