package dev.canopy.api.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {

  private static String hex(ChecksumAlgorithm a, byte[] data) {
    RunningChecksum c = a.newChecksum();
    c.update(data, 0, data.length);
    return HexFormat.of().formatHex(c.digest());
  }

  /** Check values from the CRC catalogue and the AWS checksum libraries' tests. */
  @ParameterizedTest
  @CsvSource({
    "CRC32, 123456789, cbf43926",
    "CRC32C, 123456789, e3069283",
    "CRC64NVME, 123456789, ae8b14860a799888",
    "CRC64NVME, hello world!, d9160d1fa8e418e3",
    "CRC64NVME, aaaaaaaaaa, 0c1a80036d65c555",
    "SHA1, abc, a9993e364706816aba3e25717850c26c9cd0d89d",
    "SHA256, abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  })
  void knownValues(ChecksumAlgorithm a, String input, String expectedHex) {
    assertThat(hex(a, input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expectedHex);
  }

  @Test
  void crc64NvmeOfThirtyTwoZeros() {
    assertThat(hex(ChecksumAlgorithm.CRC64NVME, new byte[32])).isEqualTo("cf3473434d4ecf3b");
  }

  @Test
  void base64IsOfTheBigEndianDigest() {
    RunningChecksum c = ChecksumAlgorithm.CRC32.newChecksum();
    c.update(new byte[0], 0, 0);
    assertThat(c.base64()).isEqualTo("AAAAAA==");
    c.update(ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertThat(c.base64()).isEqualTo("y/Q5Jg==");
  }

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void digestMidStreamDoesNotDisturbTheRunningValue(ChecksumAlgorithm a) {
    byte[] data = "split across two updates".getBytes(StandardCharsets.US_ASCII);
    RunningChecksum c = a.newChecksum();
    c.update(data, 0, 5);
    c.digest();
    c.update(data, 5, data.length - 5);

    assertThat(HexFormat.of().formatHex(c.digest())).isEqualTo(hex(a, data));
    assertThat(c.digest()).hasSize(a.digestLengthBytes());
  }

  @Test
  void namesAndHeaders() {
    assertThat(ChecksumAlgorithm.fromId("CRC32C")).contains(ChecksumAlgorithm.CRC32C);
    assertThat(ChecksumAlgorithm.fromHeaderName("X-Amz-Checksum-Crc64nvme")).contains(ChecksumAlgorithm.CRC64NVME);
    assertThat(ChecksumAlgorithm.fromHeaderName("x-amz-checksum-type")).isEmpty();
    assertThat(ChecksumAlgorithm.SHA256.headerName()).isEqualTo("x-amz-checksum-sha256");
  }
}
