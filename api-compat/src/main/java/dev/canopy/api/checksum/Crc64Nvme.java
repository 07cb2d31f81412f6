package dev.canopy.api.checksum;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME (the {@code crc64nvme} of S3 checksums): polynomial 0xAD93D23594C93659, reflected
 * input and output, initial value and final XOR all ones. Table driven, one byte at a time: S3
 * needs correctness here far more than speed, and the table is built once per class load.
 */
public final class Crc64Nvme implements Checksum {

  /** The polynomial in reflected (LSB-first) form. */
  private static final long POLY_REFLECTED = 0x9A6C9329AC4BC9B5L;

  private static final long[] TABLE = buildTable();

  private long crc = -1L;

  @Override
  public void update(int b) {
    crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long c = crc;
    for (int i = off; i < off + len; i++) {
      c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
    }
    crc = c;
  }

  /** The CRC as an unsigned 64-bit value stored in a long. */
  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = -1L;
  }

  private static long[] buildTable() {
    long[] table = new long[256];
    for (int n = 0; n < 256; n++) {
      long c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
      }
      table[n] = c;
    }
    return table;
  }
}
