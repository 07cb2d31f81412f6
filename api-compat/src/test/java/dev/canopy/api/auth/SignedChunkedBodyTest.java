package dev.canopy.api.auth;

import static dev.canopy.api.auth.SignedChunkedUpload.frame;
import static dev.canopy.api.auth.SignedChunkedUpload.signedTrailer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.checksum.ChecksumAlgorithm;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD and its -TRAILER form) broken
 * in one place at a time: the chunk-signature chain at the first, a middle, the last and the
 * final chunk, the framing of a chunk-size line, the trailer and its signature, the declared
 * decoded length. Each must end in the S3 error a client expects, and never in an accepted body.
 */
class SignedChunkedBodyTest {

  private static final List<byte[]> CHUNKS =
      List.of(TestRequests.randomBytes(1, 8192), TestRequests.randomBytes(2, 8192), TestRequests.randomBytes(3, 100));
  private static final long LENGTH = 8192 + 8192 + 100;

  private static byte[] payload() {
    byte[] all = new byte[(int) LENGTH];
    int at = 0;
    for (byte[] c : CHUNKS) {
      System.arraycopy(c, 0, all, at, c.length);
      at += c.length;
    }
    return all;
  }

  /** Verifies the head, then decodes {@code wire} in pieces of up to 700 bytes. */
  private static TestRequests.Decoded decode(SignedChunkedUpload upload, byte[] wire) throws AuthException {
    PayloadVerifier v = TestRequests.verifier("s3").verify(upload.head).newPayloadVerifier();
    byte[] payload = TestRequests.feed(v, wire, new Random(7), 700);
    return new TestRequests.Decoded(payload, v.finish());
  }

  private static AuthException refused(SignedChunkedUpload upload, byte[] wire) {
    try {
      decode(upload, wire);
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("the broken body was accepted");
  }

  private static void assertS3(AuthException e, int status, String code) {
    AwsException s3 = S3Errors.fromAuth(e);
    assertThat(s3.httpStatus()).as(e.getMessage()).isEqualTo(status);
    assertThat(s3.code()).as(e.getMessage()).isEqualTo(code);
  }

  @Nested
  class Chain {

    private final SignedChunkedUpload upload = new SignedChunkedUpload(LENGTH, null);

    private List<String> honestHeaders() {
      return upload.chunkHeaders(CHUNKS, upload.chain());
    }

    @Test
    void anHonestBodyDecodesToItsPayload() throws Exception {
      TestRequests.Decoded d = decode(upload, frame(CHUNKS, honestHeaders(), List.of()));

      assertThat(d.payload()).isEqualTo(payload());
      assertThat(d.digests().length()).isEqualTo(LENGTH);
    }

    @ParameterizedTest(name = "chunk {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void aWrongSignatureOnAnyChunkIsSignatureDoesNotMatch(int index) {
      List<String> headers = new ArrayList<>(honestHeaders());
      String line = headers.get(index);
      char last = line.charAt(line.length() - 1);
      headers.set(index, line.substring(0, line.length() - 1) + (last == '0' ? '1' : '0'));

      AuthException e = refused(upload, frame(CHUNKS, headers, List.of()));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
      assertS3(e, 403, "SignatureDoesNotMatch");
    }

    @Test
    void aChainStartedFromAnotherRequestsSignatureIsRefusedAtTheFirstChunk() throws Exception {
      SignedChunkedUpload other = new SignedChunkedUpload(LENGTH + 1, null);
      List<String> foreign = other.chunkHeaders(CHUNKS, other.chain());
      PayloadVerifier v = TestRequests.verifier("s3").verify(upload.head).newPayloadVerifier();
      byte[] wire = frame(CHUNKS, foreign, List.of());
      int firstChunkEnd = foreign.get(0).length() + 2 + CHUNKS.get(0).length + 2;

      try {
        TestRequests.feed(v, java.util.Arrays.copyOf(wire, firstChunkEnd), null, 0);
        throw new AssertionError("a foreign chunk signature was accepted");
      } catch (AuthException e) {
        assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
      }
    }

    @Test
    void twoChunksOfEqualSizeSwappedWithTheirSignatures() {
      List<byte[]> even = List.of(CHUNKS.get(0), CHUNKS.get(1));
      List<String> headers = upload.chunkHeaders(even, upload.chain());
      List<String> swapped = List.of(headers.get(1), headers.get(0), headers.get(2));

      AuthException e = refused(new SignedChunkedUpload(16_384L, null), frame(List.of(even.get(1), even.get(0)), swapped, List.of()));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aChunkDroppedWithItsSignature() {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.remove(1);
      List<byte[]> chunks = List.of(CHUNKS.get(0), CHUNKS.get(2));

      AuthException e = refused(new SignedChunkedUpload(null, null), frame(chunks, headers, List.of()));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aChunkAppendedAfterTheFinalOneIsIncomplete() {
      byte[] honest = frame(CHUNKS, honestHeaders(), List.of());
      byte[] more = concat(honest, SignedChunkedUpload.ascii("1;chunk-signature=" + "0".repeat(64) + "\r\nx\r\n"));

      AuthException e = refused(new SignedChunkedUpload(null, null), more);

      assertThat(e.kind()).isIn(Kind.INCOMPLETE_BODY, Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theFinalZeroLengthChunkMissingIsIncompleteBody() {
      byte[] honest = frame(CHUNKS, honestHeaders(), List.of());
      String finalLine = honestHeaders().get(3) + "\r\n\r\n";
      byte[] cut = java.util.Arrays.copyOf(honest, honest.length - finalLine.length());

      AuthException e = refused(upload, cut);

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
      assertS3(e, 400, "IncompleteBody");
    }

    @Test
    void theClosingEmptyLineMissingIsIncompleteBody() {
      byte[] honest = frame(CHUNKS, honestHeaders(), List.of());

      AuthException e = refused(upload, java.util.Arrays.copyOf(honest, honest.length - 2));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aFinalChunkWithoutSignatureIsIncompleteBody() {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(3, "0");

      AuthException e = refused(upload, frame(CHUNKS, headers, List.of()));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void upperCaseHexSizesAndSignaturesAreTheSameChunk() throws Exception {
      List<String> headers = new ArrayList<>();
      for (String h : honestHeaders()) {
        headers.add(h.toUpperCase().replace("CHUNK-SIGNATURE=", "chunk-signature="));
      }
      assertThat(headers.get(0)).startsWith("2000;");

      assertThat(decode(upload, frame(CHUNKS, headers, List.of())).payload()).isEqualTo(payload());
    }

    @Test
    void leadingZerosInTheSizeAreTheSameChunk() throws Exception {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(2, "000" + headers.get(2));

      assertThat(decode(upload, frame(CHUNKS, headers, List.of())).payload()).isEqualTo(payload());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "ffffffffffffffff", // 2^64-1: more digits than any length
          "10000000000000000",
          "-2000",
          "+2000",
          "0x2000",
          " 2000",
          "2000 ",
          "",
          "2g00"
        })
    void aChunkSizeThatIsNotPlainHexIsIncompleteBody(String size) {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(0, size + headers.get(0).substring(headers.get(0).indexOf(';')));

      AuthException e = refused(upload, frame(CHUNKS, headers, List.of()));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
      assertS3(e, 400, "IncompleteBody");
    }

    @Test
    void aHugeDeclaredSizeFailsAsSoonAsItPassesTheDecodedLength() throws Exception {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(0, "fffffffffffffff" + headers.get(0).substring(headers.get(0).indexOf(';')));
      PayloadVerifier v = TestRequests.verifier("s3").verify(upload.head).newPayloadVerifier();
      byte[] wire = frame(CHUNKS, headers, List.of());

      try {
        TestRequests.feed(v, wire, null, 0);
        throw new AssertionError("accepted");
      } catch (AuthException e) {
        assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
      }
    }

    @Test
    void anotherExtensionBeforeTheSignatureIsRefused() {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(0, "2000;x=y;" + headers.get(0).substring(5));

      assertThat(refused(upload, frame(CHUNKS, headers, List.of())).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aChunkLongerThanItsSizeIsRefused() {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(2, "63" + headers.get(2).substring(2)); // declares 99 of the 100 bytes

      assertThat(refused(upload, frame(CHUNKS, headers, List.of())).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aChunkShorterThanItsSizeIsRefused() {
      List<String> headers = new ArrayList<>(honestHeaders());
      headers.set(2, "65" + headers.get(2).substring(2)); // declares 101 of the 100 bytes

      AuthException e = refused(upload, frame(CHUNKS, headers, List.of()));

      assertThat(e.kind()).isIn(Kind.INCOMPLETE_BODY, Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aBareLfInsteadOfCrLfIsRefused() {
      byte[] wire = frame(CHUNKS, honestHeaders(), List.of());
      int cr = honestHeaders().get(0).length();
      wire[cr] = ' ';

      assertThat(refused(upload, wire).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }
  }

  @Nested
  class DecodedLength {

    private AuthException withDeclared(long declared) {
      SignedChunkedUpload upload = new SignedChunkedUpload(declared, null);
      return refused(upload, frame(CHUNKS, upload.chunkHeaders(CHUNKS, upload.chain()), List.of()));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1, 100_000})
    void aDecodedLengthOtherThanTheBodysIsIncompleteBody(long delta) {
      AuthException e = withDeclared(LENGTH + delta);

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
      assertS3(e, 400, "IncompleteBody");
    }

    @Test
    void zeroDeclaredForANonEmptyBody() {
      assertThat(withDeclared(0).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void anEmptyBodyDeclaredEmptyDecodes() throws Exception {
      SignedChunkedUpload upload = new SignedChunkedUpload(0L, null);
      byte[] wire = frame(List.of(), upload.chunkHeaders(List.of(), upload.chain()), List.of());

      assertThat(decode(upload, wire).payload()).isEmpty();
    }
  }

  @Nested
  class Trailer {

    private static final ChecksumAlgorithm CRC32 = ChecksumAlgorithm.CRC32;

    /** A request announcing {@code trailer} (null: none), its chain, and its honest chunk header lines. */
    private record Honest(SignedChunkedUpload upload, ChunkSigner chain, List<String> headers) {}

    private Honest honest(ChecksumAlgorithm trailer) {
      SignedChunkedUpload upload = new SignedChunkedUpload(LENGTH, trailer);
      ChunkSigner chain = upload.chain();
      return new Honest(upload, chain, upload.chunkHeaders(CHUNKS, chain));
    }

    private byte[] wire(SignedChunkedUpload upload, ChunkSigner chain, List<String> trailers) {
      return frame(CHUNKS, upload.chunkHeaders(CHUNKS, chain), trailers);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void aRightChecksumSignedInTheTrailerIsVerifiedAndReported(ChecksumAlgorithm algorithm) throws Exception {
      Honest h = honest(algorithm);
      String value = SignedChunkedUpload.checksum(algorithm, CHUNKS);

      TestRequests.Decoded d = decode(h.upload(), frame(CHUNKS, h.headers(), signedTrailer(algorithm, value, h.chain())));

      assertThat(d.digests().checksums()).containsEntry(algorithm.id(), value);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void aWrongChecksumHonestlySignedIsBadDigest(ChecksumAlgorithm algorithm) {
      Honest h = honest(algorithm);
      String wrong = SignedChunkedUpload.checksum(algorithm, List.of(CHUNKS.get(0)));

      AuthException e = refused(h.upload(), frame(CHUNKS, h.headers(), signedTrailer(algorithm, wrong, h.chain())));

      assertThat(e.kind()).isEqualTo(Kind.BAD_DIGEST);
      assertS3(e, 400, "BadDigest");
    }

    @Test
    void aChecksumChangedAfterSigningIsSignatureDoesNotMatch() {
      Honest h = honest(CRC32);
      List<String> trailers =
          new ArrayList<>(signedTrailer(CRC32, SignedChunkedUpload.checksum(CRC32, List.of(CHUNKS.get(0))), h.chain()));
      trailers.set(0, CRC32.headerName() + ":" + SignedChunkedUpload.checksum(CRC32, CHUNKS));

      AuthException e = refused(h.upload(), frame(CHUNKS, h.headers(), trailers));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
      assertS3(e, 403, "SignatureDoesNotMatch");
    }

    @Test
    void aChecksumThatIsNotBase64OfFourBytesIsInvalid() {
      Honest h = honest(CRC32);

      AuthException e = refused(h.upload(), frame(CHUNKS, h.headers(), signedTrailer(CRC32, "AAAAAAAA", h.chain())));

      assertThat(e.kind()).isEqualTo(Kind.INVALID_DIGEST);
      assertS3(e, 400, "InvalidDigest");
    }

    @Test
    void theTrailerSignatureMissingIsIncompleteBody() {
      Honest h = honest(CRC32);
      String value = SignedChunkedUpload.checksum(CRC32, CHUNKS);

      AuthException e = refused(h.upload(), frame(CHUNKS, h.headers(), List.of(CRC32.headerName() + ":" + value)));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aTrailerSignatureFromAnotherChainIsSignatureDoesNotMatch() {
      SignedChunkedUpload upload = new SignedChunkedUpload(LENGTH, CRC32);
      String value = SignedChunkedUpload.checksum(CRC32, CHUNKS);
      // Signed as if straight after the request, skipping the chunks: not this body's chain.
      List<String> trailers = signedTrailer(CRC32, value, upload.chain());

      AuthException e = refused(upload, wire(upload, upload.chain(), trailers));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theAnnouncedChecksumMissingIsIncompleteBody() {
      Honest h = honest(CRC32);
      List<String> onlySignature = List.of("x-amz-trailer-signature:" + h.chain().trailerSignature(""));

      AuthException e = refused(h.upload(), frame(CHUNKS, h.headers(), onlySignature));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aChecksumOtherThanTheAnnouncedOneIsIncompleteBody() {
      Honest h = honest(CRC32);
      ChecksumAlgorithm other = ChecksumAlgorithm.CRC32C;

      AuthException e =
          refused(h.upload(), frame(CHUNKS, h.headers(), signedTrailer(other, SignedChunkedUpload.checksum(other, CHUNKS), h.chain())));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aLineAfterTheTrailerSignatureIsIncompleteBody() {
      Honest h = honest(CRC32);
      List<String> trailers = new ArrayList<>(signedTrailer(CRC32, SignedChunkedUpload.checksum(CRC32, CHUNKS), h.chain()));
      trailers.add("x-amz-meta-late:1");

      assertThat(refused(h.upload(), frame(CHUNKS, h.headers(), trailers)).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aTrailerInAModeWithoutTrailersIsIncompleteBody() {
      Honest h = honest(null);
      List<String> trailers = List.of(CRC32.headerName() + ":" + SignedChunkedUpload.checksum(CRC32, CHUNKS));

      assertThat(refused(h.upload(), frame(CHUNKS, h.headers(), trailers)).kind()).isEqualTo(Kind.INCOMPLETE_BODY);
    }

    @Test
    void aTrailerNameInAnyCaseIsTheSameTrailer() throws Exception {
      Honest h = honest(CRC32);
      String value = SignedChunkedUpload.checksum(CRC32, CHUNKS);
      List<String> trailers = new ArrayList<>(signedTrailer(CRC32, value, h.chain()));
      trailers.set(0, "X-Amz-Checksum-CRC32:" + value);

      assertThat(decode(h.upload(), frame(CHUNKS, h.headers(), trailers)).digests().checksums()).containsEntry("crc32", value);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
