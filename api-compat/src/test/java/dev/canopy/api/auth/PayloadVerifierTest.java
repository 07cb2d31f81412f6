package dev.canopy.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.checksum.ChecksumAlgorithm;
import dev.canopy.api.http.RequestHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The payload verifiers on their own: framing edge cases of aws-chunked (fed through the
 * package-private decoder, unsigned modes, so that each test can build its own wire bytes),
 * digest and checksum headers, and the bounds on what the decoder buffers.
 */
class PayloadVerifierTest {

  private static final byte[] DATA = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

  private static PayloadVerifier verifier(PayloadMode mode, String... headerPairs) throws AuthException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
    }
    String token = mode == PayloadMode.SHA256 ? sha256Hex(DATA) : mode.token();
    PayloadSpec spec = PayloadSpec.parse(new RequestHead("PUT", "/b/k", "", headers), mode, token);
    return mode.chunked() ? new ChunkedPayloadVerifier(spec, null) : new PlainPayloadVerifier(spec);
  }

  private static PayloadVerifier trailerVerifier(String... extraHeaders) throws AuthException {
    String[] headers = new String[extraHeaders.length + 2];
    headers[0] = "x-amz-trailer";
    headers[1] = "x-amz-checksum-crc32";
    System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
    return verifier(PayloadMode.STREAMING_UNSIGNED_TRAILER, headers);
  }

  /** An unsigned aws-chunked body with the given chunk sizes and trailer block. */
  private static byte[] chunkedBody(byte[] data, int chunk, String trailer) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < data.length; i += chunk) {
      int n = Math.min(chunk, data.length - i);
      sb.append(Integer.toHexString(n)).append("\r\n").append(new String(data, i, n, StandardCharsets.ISO_8859_1)).append("\r\n");
    }
    sb.append("0\r\n").append(trailer).append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String crc32(byte[] data) {
    var c = ChecksumAlgorithm.CRC32.newChecksum();
    c.update(data, 0, data.length);
    return c.base64();
  }

  private static String sha256Hex(byte[] data) {
    return Crypto.HEX.formatHex(Crypto.sha256(data));
  }

  private static String md5Base64(byte[] data) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
  }

  private static AuthException failure(PayloadVerifier v, byte[] wire) {
    try {
      TestRequests.feed(v, wire, null, 0);
      v.finish();
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  @Test
  void unsignedTrailerBodyDecodes() throws Exception {
    PayloadVerifier v = trailerVerifier();
    byte[] wire = chunkedBody(DATA, 10, "x-amz-checksum-crc32:" + crc32(DATA) + "\r\n");

    assertThat(TestRequests.feed(v, wire, new Random(1), 3)).isEqualTo(DATA);
    assertThat(v.finish().checksums()).containsEntry("crc32", crc32(DATA));
  }

  @Test
  void dataIsEmittedBeforeItsChunkEnds() throws Exception {
    PayloadVerifier v = trailerVerifier();
    byte[] wire = chunkedBody(DATA, 100, "");

    ByteBuffer out = v.update(ByteBuffer.wrap(wire, 0, 2 + 2 + 5));

    assertThat(out.remaining()).isEqualTo(5);
  }

  @Test
  void aChunkHeaderLongerThanTheLimitIsRefusedWithoutBufferingIt() throws Exception {
    PayloadVerifier v = trailerVerifier();
    byte[] endless = new byte[1 << 20];
    java.util.Arrays.fill(endless, (byte) '1');

    assertThatThrownBy(() -> v.update(ByteBuffer.wrap(endless)))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY))
        .hasMessageContaining("longer than " + ChunkedPayloadVerifier.LINE_BYTES_MAX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5\r\nhello\r\n0\r\n\r\nextra", // bytes after the end
        "5\r\nhelloX\r\n0\r\n\r\n", // chunk longer than declared
        "5\nhello\r\n0\r\n\r\n", // bare LF
        "5\r\nhello\r\n0\r\n", // ends inside the trailer
        "5\r\nhel", // ends inside a chunk
        "zz\r\nhello\r\n0\r\n\r\n", // not hex
        "10000000000000000\r\n", // more than 15 hex digits
        "5\r\nhello\r\n0\r\nx-amz-checksum-sha256:abc=\r\n\r\n", // not announced
        "5\r\nhello\r\n0\r\nnot a trailer\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n", // announced trailer missing
      })
  void brokenFramingIsAnIncompleteBody(String wire) throws Exception {
    AuthException e = failure(trailerVerifier(), wire.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
  }

  @Test
  void failuresAreSticky() throws Exception {
    PayloadVerifier v = trailerVerifier();
    assertThatThrownBy(() -> v.update(ByteBuffer.wrap("zz\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(AuthException.class);

    assertThatThrownBy(() -> v.update(ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(AuthException.class);
    assertThatThrownBy(v::finish).isInstanceOf(AuthException.class);
  }

  @Test
  void aTrailerChecksumThatIsNotBase64IsAnInvalidDigest() throws Exception {
    AuthException e = failure(trailerVerifier(), chunkedBody(DATA, 7, "x-amz-checksum-crc32:!!!!\r\n"));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_DIGEST);
  }

  @Test
  void aWrongTrailerChecksumIsABadDigest() throws Exception {
    AuthException e = failure(trailerVerifier(), chunkedBody(DATA, 7, "x-amz-checksum-crc32:AAAAAA==\r\n"));

    assertThat(e.kind()).isEqualTo(Kind.BAD_DIGEST);
    assertThat(e.getMessage()).contains("CRC32");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 1})
  void theDecodedContentLengthMustMatch(int delta) throws Exception {
    PayloadVerifier v = trailerVerifier("x-amz-decoded-content-length", Integer.toString(DATA.length + delta));

    AuthException e = failure(v, chunkedBody(DATA, 7, "x-amz-checksum-crc32:" + crc32(DATA) + "\r\n"));

    assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
  }

  @Test
  void signedModesNeedAChunkSignature() throws Exception {
    PayloadSpec spec =
        PayloadSpec.parse(new RequestHead("PUT", "/", "", Map.of()), PayloadMode.STREAMING_SIGNED, PayloadMode.STREAMING_SIGNED.token());
    ChunkSigner signer =
        new ChunkSigner(new ChunkSigner.Seed(new byte[32], "20240501T120000Z", new CredentialScope("20240501", "r", "s3"), "0".repeat(64)));
    PayloadVerifier v = new ChunkedPayloadVerifier(spec, signer);

    assertThat(failure(v, chunkedBody(DATA, 7, "")).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
  }

  @Test
  void plainBodiesAreReturnedWithoutCopying() throws Exception {
    PayloadVerifier v = verifier(PayloadMode.UNSIGNED);
    ByteBuffer wire = ByteBuffer.wrap(DATA);

    ByteBuffer out = v.update(wire);

    assertThat(out.hasArray() && out.array() == DATA).isTrue();
    assertThat(v.finish().length()).isEqualTo(DATA.length);
  }

  @ParameterizedTest
  @EnumSource(value = ChecksumAlgorithm.class)
  void checksumHeadersAreVerified(ChecksumAlgorithm algorithm) throws Exception {
    var c = algorithm.newChecksum();
    c.update(DATA, 0, DATA.length);
    PayloadVerifier good = verifier(PayloadMode.UNSIGNED, algorithm.headerName(), c.base64());
    TestRequests.feed(good, DATA, null, 0);
    assertThat(good.finish().checksums()).containsEntry(algorithm.id(), c.base64());

    byte[] wrong = new byte[algorithm.digestLengthBytes()];
    PayloadVerifier bad = verifier(PayloadMode.UNSIGNED, algorithm.headerName(), Base64.getEncoder().encodeToString(wrong));
    assertThat(failure(bad, DATA).kind()).isEqualTo(Kind.BAD_DIGEST);

    assertThatThrownBy(() -> verifier(PayloadMode.UNSIGNED, algorithm.headerName(), "AAAA"))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_DIGEST));
  }

  @ParameterizedTest
  @EnumSource(value = PayloadMode.class, names = {"SHA256", "UNSIGNED", "STREAMING_UNSIGNED_TRAILER"})
  void contentMd5(PayloadMode mode) throws Exception {
    byte[] wire = mode.chunked() ? chunkedBody(DATA, 9, "") : DATA;
    PayloadVerifier good = verifier(mode, "content-md5", md5Base64(DATA));
    TestRequests.feed(good, wire, null, 0);
    assertThat(good.finish().md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(DATA));

    PayloadVerifier bad = verifier(mode, "content-md5", md5Base64("x".getBytes(StandardCharsets.US_ASCII)));
    assertThat(failure(bad, wire).kind()).isEqualTo(Kind.BAD_DIGEST);
  }

  @Test
  void aWholeBodyHashMismatch() throws Exception {
    PayloadVerifier v = verifier(PayloadMode.SHA256);

    assertThat(failure(v, "The quick brown fox jumps over the lazy cat".getBytes(StandardCharsets.US_ASCII)).kind())
        .isEqualTo(Kind.CONTENT_SHA256_MISMATCH);
  }

  @Test
  void anUnsupportedTrailerIsRefusedUpFront() {
    assertThatThrownBy(() -> verifier(PayloadMode.STREAMING_UNSIGNED_TRAILER, "x-amz-trailer", "x-amz-checksum-md7"))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_DIGEST));
  }
}
