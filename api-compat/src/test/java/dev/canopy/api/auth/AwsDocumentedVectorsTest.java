package dev.canopy.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.http.RequestHead;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worked examples AWS publishes (SigV4 test suite "get-vanilla", the S3 GET-object example
 * and the S3 chunked-upload example), checked signature by signature.
 */
class AwsDocumentedVectorsTest {

  private static final String DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @Test
  void sigV4TestSuiteGetVanilla() throws Exception {
    Credential c = new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "acct");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of("example.amazonaws.com"));
    headers.put("x-amz-date", List.of("20150830T123600Z"));
    headers.put(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date,"
                + " Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
    SigV4Verifier v =
        new SigV4Verifier(
            k -> Optional.of(c),
            InstantSource.fixed(Instant.parse("2015-08-30T12:36:00Z")),
            Duration.ofMinutes(15),
            "us-east-1",
            "service");

    assertThat(v.verifyWhole(new RequestHead("GET", "/", "", headers), new byte[0]).accessKeyId())
        .isEqualTo("AKIDEXAMPLE");
  }

  @Test
  void s3GetObjectExample() throws Exception {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of("examplebucket.s3.amazonaws.com"));
    headers.put("range", List.of("bytes=0-9"));
    headers.put("x-amz-content-sha256", List.of(Crypto.EMPTY_SHA256_HEX));
    headers.put("x-amz-date", List.of("20130524T000000Z"));
    headers.put(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));

    VerifiedRequest r = s3At("2013-05-24T00:00:00Z").verify(new RequestHead("GET", "/test.txt", "", headers));

    assertThat(r.principal().accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void s3ChunkedUploadExample() throws Exception {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-encoding", List.of("aws-chunked"));
    headers.put("content-length", List.of("66824"));
    headers.put("host", List.of("s3.amazonaws.com"));
    headers.put("x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
    headers.put("x-amz-date", List.of("20130524T000000Z"));
    headers.put("x-amz-decoded-content-length", List.of("66560"));
    headers.put("x-amz-storage-class", List.of("REDUCED_REDUNDANCY"));
    headers.put(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class,"
                + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
    byte[] a65536 = new byte[65536];
    byte[] a1024 = new byte[1024];
    Arrays.fill(a65536, (byte) 'a');
    Arrays.fill(a1024, (byte) 'a');
    byte[] wire =
        concat(
            ascii("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"),
            a65536,
            ascii("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"),
            a1024,
            ascii("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"));
    assertThat(wire).hasSize(66824);

    VerifiedRequest r =
        s3At("2013-05-24T00:00:00Z").verify(new RequestHead("PUT", "/examplebucket/chunkObject.txt", "", headers));
    TestRequests.Decoded d = TestRequests.decode(r, wire);

    assertThat(d.payload()).hasSize(66560).containsOnly((byte) 'a');
  }

  private static SigV4Verifier s3At(String instant) {
    Credential c = new Credential("AKIAIOSFODNN7EXAMPLE", DOC_SECRET, "acct");
    return new SigV4Verifier(
        k -> Optional.of(c), InstantSource.fixed(Instant.parse(instant)), Duration.ofMinutes(15), "us-east-1", "s3");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
