package dev.canopy.api.auth;

import dev.canopy.api.checksum.ChecksumAlgorithm;
import dev.canopy.api.http.RequestHead;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a signed aws-chunked PUT byte by byte, the way an AWS SDK frames it, so that a test can
 * change one framing line, one chunk signature or one trailer and nothing else. The request's
 * own signature is computed here from the canonical request; the chunk chain comes from
 * {@link ChunkSigner}, itself checked against AWS's published chunked-upload example.
 */
final class SignedChunkedUpload {

  static final CredentialScope SCOPE = new CredentialScope("20240501", TestRequests.REGION, "s3");
  static final String AMZ_DATE = AmzDates.formatAmzDate(TestRequests.NOW);

  final RequestHead head;
  private final ChunkSigner.Seed seed;

  /**
   * @param decodedLength the x-amz-decoded-content-length to send, or null for none
   * @param trailer the checksum x-amz-trailer announces, or null for a mode without trailer
   */
  SignedChunkedUpload(Long decodedLength, ChecksumAlgorithm trailer) {
    PayloadMode mode = trailer == null ? PayloadMode.STREAMING_SIGNED : PayloadMode.STREAMING_SIGNED_TRAILER;
    Map<String, List<String>> headers = new TreeMap<>();
    headers.put("content-encoding", List.of("aws-chunked"));
    headers.put("host", List.of("s3.example.com:8779"));
    headers.put("x-amz-content-sha256", List.of(mode.token()));
    headers.put("x-amz-date", List.of(AMZ_DATE));
    if (decodedLength != null) {
      headers.put("x-amz-decoded-content-length", List.of(Long.toString(decodedLength)));
    }
    if (trailer != null) {
      headers.put("x-amz-trailer", List.of(trailer.headerName()));
    }
    List<String> signed = new ArrayList<>(headers.keySet());
    String canonical =
        CanonicalRequest.build(
            "PUT", "/bucket/key", "", CanonicalRequest.headers(signed, headers), signed, mode.token());
    byte[] key = SigningKeys.derive(TestRequests.SECRET, SCOPE);
    String signature = CanonicalRequest.signature(key, CanonicalRequest.stringToSign(AMZ_DATE, SCOPE, canonical));
    Map<String, List<String>> sent = new TreeMap<>(headers);
    sent.put(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=" + TestRequests.ACCESS_KEY + "/" + SCOPE + ", SignedHeaders="
                + String.join(";", signed) + ", Signature=" + signature));
    this.head = new RequestHead("PUT", "/bucket/key", "", sent);
    this.seed = new ChunkSigner.Seed(key, AMZ_DATE, SCOPE, signature);
  }

  /** A fresh chain from this request's signature. */
  ChunkSigner chain() {
    return new ChunkSigner(seed);
  }

  /**
   * The header lines an honest client sends for {@code chunks} and the final empty chunk, each
   * {@code hex-size;chunk-signature=...} without its CRLF.
   */
  List<String> chunkHeaders(List<byte[]> chunks, ChunkSigner chain) {
    List<String> lines = new ArrayList<>();
    for (byte[] c : chunks) {
      lines.add(Integer.toHexString(c.length) + ";chunk-signature=" + chain.nextChunkSignature(Crypto.sha256(c)));
    }
    lines.add("0;chunk-signature=" + chain.nextChunkSignature(Crypto.sha256(new byte[0])));
    return lines;
  }

  /** The trailer lines for one checksum, signed with the chain after the final chunk. */
  static List<String> signedTrailer(ChecksumAlgorithm algorithm, String base64, ChunkSigner chain) {
    String line = algorithm.headerName() + ":" + base64;
    return List.of(line, "x-amz-trailer-signature:" + chain.trailerSignature(line + "\n"));
  }

  /**
   * The wire body: each chunk after its header line, then the final header line, the trailer
   * lines and the closing empty line. {@code headers} holds one more line than {@code chunks}.
   */
  static byte[] frame(List<byte[]> chunks, List<String> headers, List<String> trailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < chunks.size(); i++) {
      out.writeBytes(ascii(headers.get(i) + "\r\n"));
      out.writeBytes(chunks.get(i));
      out.writeBytes(ascii("\r\n"));
    }
    out.writeBytes(ascii(headers.get(chunks.size()) + "\r\n"));
    for (String t : trailers) {
      out.writeBytes(ascii(t + "\r\n"));
    }
    out.writeBytes(ascii("\r\n"));
    return out.toByteArray();
  }

  static String checksum(ChecksumAlgorithm algorithm, List<byte[]> chunks) {
    var c = algorithm.newChecksum();
    for (byte[] b : chunks) {
      c.update(b, 0, b.length);
    }
    return Base64.getEncoder().encodeToString(c.digest());
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
