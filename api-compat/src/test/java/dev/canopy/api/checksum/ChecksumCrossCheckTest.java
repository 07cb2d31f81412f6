package dev.canopy.api.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

/**
 * Canopy's checksums against the AWS SDK for Java v2's (the values a client puts in
 * x-amz-checksum-*), on random inputs of every small length and some large ones, fed in one
 * piece and in random splits; CRC64NVME, which the SDK computes only through the native CRT,
 * against a bit-at-a-time reference written from the polynomial.
 */
class ChecksumCrossCheckTest {

  /** The algorithms the SDK computes in plain Java, next to ours. */
  enum WithSdk {
    CRC32(ChecksumAlgorithm.CRC32, DefaultChecksumAlgorithm.CRC32),
    CRC32C(ChecksumAlgorithm.CRC32C, DefaultChecksumAlgorithm.CRC32C),
    SHA1(ChecksumAlgorithm.SHA1, DefaultChecksumAlgorithm.SHA1),
    SHA256(ChecksumAlgorithm.SHA256, DefaultChecksumAlgorithm.SHA256);

    final ChecksumAlgorithm ours;
    final software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk;

    WithSdk(ChecksumAlgorithm ours, software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk) {
      this.ours = ours;
      this.sdk = sdk;
    }

    String sdkBase64(byte[] data) {
      SdkChecksum c = SdkChecksum.forAlgorithm(sdk);
      c.update(data, 0, data.length);
      return Base64.getEncoder().encodeToString(c.getChecksumBytes());
    }
  }

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  private static byte[] random(long seed) {
    Random r = new Random(seed);
    // Every length up to 40 (the CRC tables' slicing edges), then a few large ones.
    int length = seed < 40 ? (int) seed : 1 + r.nextInt(300_000);
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }

  private static String oneShot(ChecksumAlgorithm a, byte[] data) {
    RunningChecksum c = a.newChecksum();
    c.update(data, 0, data.length);
    return Base64.getEncoder().encodeToString(c.digest());
  }

  /** Fed in random pieces, alternating array and buffer updates, some buffers direct. */
  private static String split(ChecksumAlgorithm a, byte[] data, Random r) {
    RunningChecksum c = a.newChecksum();
    int at = 0;
    boolean asBuffer = false;
    while (at < data.length) {
      int n = Math.min(data.length - at, r.nextInt(Math.max(1, data.length / 3) + 1));
      if (asBuffer) {
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n + 7).position(7).slice();
        b.put(data, at, n).flip();
        c.update(b);
        assertThat(b.hasRemaining()).as("update consumes the buffer").isFalse();
      } else {
        c.update(data, at, n);
      }
      asBuffer = !asBuffer;
      at += n;
    }
    return Base64.getEncoder().encodeToString(c.digest());
  }

  @ParameterizedTest
  @EnumSource(WithSdk.class)
  void theCheckValueOf123456789IsTheSdks(WithSdk a) {
    byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);

    assertThat(oneShot(a.ours, data)).isEqualTo(a.sdkBase64(data));
  }

  @ParameterizedTest
  @EnumSource(WithSdk.class)
  void theEmptyInputIsTheSdks(WithSdk a) {
    assertThat(oneShot(a.ours, new byte[0])).isEqualTo(a.sdkBase64(new byte[0]));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomInputsAgreeWithTheSdkWholeAndSplit(long seed) {
    byte[] data = random(seed);
    for (WithSdk a : WithSdk.values()) {
      String sdk = a.sdkBase64(data);
      assertThat(oneShot(a.ours, data)).as("%s of %d bytes", a, data.length).isEqualTo(sdk);
      assertThat(split(a.ours, data, new Random(seed))).as("%s split, %d bytes", a, data.length).isEqualTo(sdk);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void crc64NvmeAgreesWithTheBitwiseReferenceWholeAndSplit(long seed) {
    byte[] data = random(seed);
    String reference = Base64.getEncoder().encodeToString(bigEndian(crc64NvmeBitwise(data)));

    assertThat(oneShot(ChecksumAlgorithm.CRC64NVME, data)).isEqualTo(reference);
    assertThat(split(ChecksumAlgorithm.CRC64NVME, data, new Random(seed))).isEqualTo(reference);
  }

  @Test
  void theBitwiseReferenceHasTheCatalogueCheckValue() {
    // The reference itself is checked against the published check value before it judges.
    long check = crc64NvmeBitwise("123456789".getBytes(StandardCharsets.US_ASCII));

    assertThat(HexFormat.of().toHexDigits(check)).isEqualTo("ae8b14860a799888");
  }

  @Test
  void crc64NvmeResetStartsAfresh() {
    Crc64Nvme crc = new Crc64Nvme();
    byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
    crc.update(new byte[] {1, 2, 3}, 0, 3);
    crc.reset();
    crc.update(data, 0, data.length);

    assertThat(Long.toHexString(crc.getValue())).isEqualTo("ae8b14860a799888");
  }

  @Test
  void crc64NvmeSingleByteUpdatesEqualTheArrayUpdate() {
    byte[] data = random(1234);
    Crc64Nvme bytewise = new Crc64Nvme();
    for (byte b : data) {
      bytewise.update(b);
    }
    Crc64Nvme whole = new Crc64Nvme();
    whole.update(data, 0, data.length);

    assertThat(bytewise.getValue()).isEqualTo(whole.getValue()).isEqualTo(crc64NvmeBitwise(data));
  }

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void theBase64IsOfTheWholeDigestLength(ChecksumAlgorithm a) {
    byte[] digest = Base64.getDecoder().decode(oneShot(a, random(3)));

    assertThat(digest).hasSize(a.digestLengthBytes());
  }

  /** CRC-64/NVME bit by bit: reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones. */
  private static long crc64NvmeBitwise(byte[] data) {
    long crc = ~0L;
    for (byte b : data) {
      crc ^= b & 0xFF;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
      }
    }
    return ~crc;
  }

  private static byte[] bigEndian(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
