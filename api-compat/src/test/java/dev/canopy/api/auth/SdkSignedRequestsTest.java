package dev.canopy.api.auth;

import static dev.canopy.api.auth.TestRequests.NOW;
import static dev.canopy.api.auth.TestRequests.decode;
import static dev.canopy.api.auth.TestRequests.feed;
import static dev.canopy.api.auth.TestRequests.randomBytes;
import static dev.canopy.api.auth.TestRequests.verifier;
import static dev.canopy.api.auth.TestRequests.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.auth.SdkSigning.Signed;
import dev.canopy.api.auth.TestRequests.Decoded;
import dev.canopy.api.checksum.ChecksumAlgorithm;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.RequestHead;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Requests signed by the AWS SDK for Java v2 verify, and tampered copies fail with the right kind. */
class SdkSignedRequestsTest {

  /** Larger than the SDK's 128 KiB chunk, so bodies have several chunks and a short last one. */
  private static final byte[] BIG = randomBytes(42, 300_000);

  private static SdkHttpFullRequest awkwardGet() {
    return SdkSigning.request(SdkHttpMethod.GET, "/bucket")
        .putRawQueryParameter("prefix", "photos/2024 summer")
        .putRawQueryParameter("tilde", "~user")
        .putRawQueryParameter("unicode", "été €😀")
        .putRawQueryParameter("k", List.of("b", "a", "a"))
        .putRawQueryParameter("empty", "")
        .putRawQueryParameter("a+b=c&d", "x+y=z&w/*")
        .putRawQueryParameter("list-type", "2")
        .build();
  }

  private static Signed put(byte[] body, java.util.function.Consumer<SdkHttpFullRequest.Builder> headers,
      java.util.function.Consumer<software.amazon.awssdk.http.auth.spi.signer.SignRequest.Builder<
          software.amazon.awssdk.identity.spi.AwsCredentialsIdentity>> props) {
    SdkHttpFullRequest.Builder b =
        SdkSigning.request(SdkHttpMethod.PUT, "/bucket/object.bin")
            .putHeader("Content-Length", Integer.toString(body.length));
    headers.accept(b);
    return SdkSigning.signS3(b.build(), body, props);
  }

  private static Signed chunked(byte[] body, boolean signed, SdkChecksum checksum) {
    return put(
        body,
        h -> {},
        p -> {
          p.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
              .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signed);
          if (checksum != null) {
            p.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, checksum.sdk);
          }
        });
  }

  /** The SDK's algorithm next to ours. */
  private enum SdkChecksum {
    CRC32(DefaultChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32),
    CRC32C(DefaultChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC32C),
    SHA1(DefaultChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA1),
    SHA256(DefaultChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA256);

    final software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk;
    final ChecksumAlgorithm ours;

    SdkChecksum(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk, ChecksumAlgorithm ours) {
      this.sdk = sdk;
      this.ours = ours;
    }
  }

  private static AuthException failure(ThrowingRunnable r) {
    try {
      r.run();
    } catch (AuthException e) {
      return e;
    }
    throw new AssertionError("expected an AuthException");
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws AuthException;
  }

  private static byte[] md5(byte[] data) throws Exception {
    return MessageDigest.getInstance("MD5").digest(data);
  }

  @Nested
  class Valid {

    @Test
    void headerAuthGetWithQueryParametersThatNeedEncoding() throws Exception {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
      assertThat(s.head().rawQuery()).contains("%20").contains("~user");

      VerifiedRequest v = verifier("s3").verify(s.head());

      assertThat(v.principal()).isEqualTo(new Principal(TestRequests.ACCOUNT, TestRequests.ACCESS_KEY));
      assertThat(decode(v, new byte[0]).digests().length()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "dir/a b+c!$'()*,;=:@&[]~é😀%.txt",
          "a//b/../c/./d",
          "trailing/",
          "ünïcödé/ключ/キー"
        })
    void keyWithSpecialCharactersInThePath(String key) throws Exception {
      String path = "/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
      Signed s = SdkSigning.signS3(SdkSigning.request(SdkHttpMethod.GET, path).build(), null, p -> {});

      assertThat(verifier("s3").verify(s.head()).principal().accountId()).isEqualTo(TestRequests.ACCOUNT);
    }

    @Test
    void presignedUrlVerifiesUntilItExpires() throws Exception {
      Signed s = presigned(Duration.ofHours(1));
      assertThat(s.head().rawQuery()).contains("X-Amz-Signature=");
      assertThat(s.head().header("authorization")).isEmpty();

      assertThat(verifier("s3").verify(s.head()).principal().accessKeyId()).isEqualTo(TestRequests.ACCESS_KEY);
      assertThat(verifier("s3", NOW.plus(Duration.ofMinutes(59)), TestRequests.REGION).verify(s.head()))
          .isNotNull();
      assertThat(verifier("s3", NOW.plus(Duration.ofHours(1)), TestRequests.REGION).verify(s.head()))
          .isNotNull();
    }

    @Test
    void signedPayloadDecodesToItself() throws Exception {
      byte[] body = "Welcome to Canopy.".getBytes(StandardCharsets.UTF_8);
      Signed s = put(body, h -> {}, p -> {});
      assertThat(s.head().header("x-amz-content-sha256")).get().asString().hasSize(64);

      Decoded d = decode(verifier("s3").verify(s.head()), s.body());

      assertThat(d.payload()).isEqualTo(body);
      assertThat(d.digests().length()).isEqualTo(body.length);
      assertThat(d.digests().md5()).isEqualTo(md5(body));
    }

    @Test
    void unsignedPayloadWithContentMd5() throws Exception {
      byte[] body = randomBytes(7, 5000);
      String contentMd5 = Base64.getEncoder().encodeToString(md5(body));
      Signed s =
          put(body, h -> h.putHeader("Content-MD5", contentMd5),
              p -> p.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
      assertThat(s.head().header("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");

      Decoded d = decode(verifier("s3").verify(s.head()), s.body());

      assertThat(d.payload()).isEqualTo(body);
      assertThat(d.digests().md5()).isEqualTo(md5(body));
    }

    @Test
    void chunkedSignedPayloadDecodesExactly() throws Exception {
      Signed s = chunked(BIG, true, null);
      assertThat(s.head().header("x-amz-content-sha256")).contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
      assertThat(s.body().length).isGreaterThan(BIG.length);

      Decoded d = decode(verifier("s3").verify(s.head()), s.body());

      assertThat(d.payload()).isEqualTo(BIG);
      assertThat(d.digests().md5()).isEqualTo(md5(BIG));
      assertThat(d.digests().checksums()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void chunkedWithTrailingCrc32(boolean signed) throws Exception {
      Signed s = chunked(BIG, signed, SdkChecksum.CRC32);
      assertThat(s.head().header("x-amz-content-sha256"))
          .contains(signed ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
      assertThat(s.head().header("x-amz-trailer")).contains("x-amz-checksum-crc32");

      Decoded d = decode(verifier("s3").verify(s.head()), s.body());

      assertThat(d.payload()).isEqualTo(BIG);
      var crc = ChecksumAlgorithm.CRC32.newChecksum();
      crc.update(BIG, 0, BIG.length);
      assertThat(d.digests().checksums()).containsEntry("crc32", crc.base64());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(SdkChecksum.class)
    void everyTrailerChecksumTheSdkSends(SdkChecksum algorithm) throws Exception {
      Signed s = chunked(BIG, true, algorithm);

      Decoded d = decode(verifier("s3").verify(s.head()), s.body());

      var expected = algorithm.ours.newChecksum();
      expected.update(BIG, 0, BIG.length);
      assertThat(d.digests().checksums()).containsExactlyEntriesOf(java.util.Map.of(algorithm.ours.id(), expected.base64()));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void chunkedBodiesDecodeTheSameUnderAnySplit(long seed) throws Exception {
      Signed s = chunked(BIG, true, SdkChecksum.CRC32C);
      VerifiedRequest v = verifier("s3").verify(s.head());
      Decoded whole = decode(v, s.body());

      PayloadVerifier pv = v.newPayloadVerifier();
      byte[] split = feed(pv, s.body(), new Random(seed), 300);
      PayloadDigests digests = pv.finish();

      assertThat(split).isEqualTo(BIG);
      assertThat(digests.md5()).isEqualTo(whole.digests().md5());
      assertThat(digests.checksums()).isEqualTo(whole.digests().checksums());
    }

    @Test
    void chunkedBodyFedOneByteAtATime() throws Exception {
      byte[] body = randomBytes(9, 2000);
      Signed s = chunked(body, true, SdkChecksum.CRC32);
      PayloadVerifier pv = verifier("s3").verify(s.head()).newPayloadVerifier();

      byte[] decoded = feed(pv, s.body(), new Random(0), 1);

      assertThat(decoded).isEqualTo(body);
      assertThat(pv.finish().length()).isEqualTo(body.length);
    }

    @Test
    void emptyChunkedBody() throws Exception {
      Signed s = chunked(new byte[0], true, SdkChecksum.CRC32);

      Decoded d = decode(verifier("s3").verify(s.head()), s.body());

      assertThat(d.payload()).isEmpty();
      assertThat(d.digests().checksums()).containsEntry("crc32", "AAAAAA==");
    }

    @Test
    void ec2QueryPostWithNormalisedPath() throws Exception {
      byte[] form =
          "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=web+server"
              .getBytes(StandardCharsets.UTF_8);
      SdkHttpFullRequest request =
          SdkSigning.request(SdkHttpMethod.POST, "/")
              .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
              .build();
      Signed s = SdkSigning.sign(request, form, "ec2", NOW, p -> {});

      Principal p = verifier("ec2").verifyWhole(s.head(), s.body());

      assertThat(p.accountId()).isEqualTo(TestRequests.ACCOUNT);
    }

    @Test
    void nonS3PathIsNormalisedAndDoubleEncoded() throws Exception {
      SdkHttpFullRequest request =
          SdkSigning.request(SdkHttpMethod.GET, "/admin/./accounts/a%20b/../c%2Fd/").build();
      Signed s = SdkSigning.sign(request, new byte[0], "canopy", NOW, p -> {});

      assertThat(verifier("canopy").verifyWhole(s.head(), new byte[0]).accessKeyId())
          .isEqualTo(TestRequests.ACCESS_KEY);
    }
  }

  private static Signed presigned(Duration expires) {
    return SdkSigning.signS3(
        awkwardGet(),
        null,
        p ->
            p.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
  }

  @Nested
  class Tampered {

    @Test
    void oneHeaderByte() {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
      RequestHead changed = withHeader(s.head(), "host", SdkSigning.S3_HOST.replace('e', 'f') + ":" + SdkSigning.PORT);

      AuthException e = failure(() -> verifier("s3").verify(changed));

      assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void oneQueryByte() {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
      RequestHead h = s.head();
      RequestHead changed =
          new RequestHead(h.method(), h.rawPath(), h.rawQuery().replace("list-type=2", "list-type=1"), h.headers());

      assertThat(failure(() -> verifier("s3").verify(changed)).kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void oneBodyByteOfASignedPayload() throws Exception {
      byte[] body = randomBytes(3, 1000);
      Signed s = put(body, h -> {}, p -> {});
      byte[] wire = s.body().clone();
      wire[500] ^= 1;
      PayloadVerifier pv = verifier("s3").verify(s.head()).newPayloadVerifier();
      feed(pv, wire, null, 0);

      AuthException e = failure(pv::finish);

      assertThat(e.kind()).isEqualTo(Kind.CONTENT_SHA256_MISMATCH);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("XAmzContentSHA256Mismatch");
    }

    @Test
    void oneBodyByteOfAChunk() throws Exception {
      Signed s = chunked(BIG, true, null);
      byte[] wire = s.body().clone();
      wire[1000] ^= 1;

      assertThat(failure(() -> decode(verifier("s3").verify(s.head()), wire)).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aChunkSignature() throws Exception {
      Signed s = chunked(BIG, true, null);
      byte[] wire = s.body().clone();
      int sig = indexOf(wire, "chunk-signature=", 0) + "chunk-signature=".length();
      wire[sig + 10] = (byte) (wire[sig + 10] == 'a' ? 'b' : 'a');

      assertThat(failure(() -> decode(verifier("s3").verify(s.head()), wire)).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void chunksReordered() throws Exception {
      // Swapping two equal-length chunks keeps the framing valid; only the chain catches it.
      byte[] body = randomBytes(5, 3 * 131072);
      Signed s = chunked(body, true, null);
      String wire = new String(s.body(), StandardCharsets.ISO_8859_1);
      int first = wire.indexOf("20000;");
      int second = wire.indexOf("20000;", first + 1);
      int third = wire.indexOf("20000;", second + 1);
      String swapped =
          wire.substring(0, first) + wire.substring(second, third) + wire.substring(first, second) + wire.substring(third);

      assertThat(failure(() -> decode(verifier("s3").verify(s.head()), swapped.getBytes(StandardCharsets.ISO_8859_1))).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aTrailerChecksumOfAnUnsignedTrailer() throws Exception {
      Signed s = chunked(BIG, false, SdkChecksum.CRC32);
      byte[] wire = withTrailerValue(s.body(), "x-amz-checksum-crc32:", "AAAAAA==");

      AuthException e = failure(() -> decode(verifier("s3").verify(s.head()), wire));

      assertThat(e.kind()).isEqualTo(Kind.BAD_DIGEST);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("BadDigest");
    }

    @Test
    void aTrailerChecksumOfASignedTrailer() throws Exception {
      Signed s = chunked(BIG, true, SdkChecksum.CRC32);
      byte[] wire = withTrailerValue(s.body(), "x-amz-checksum-crc32:", "AAAAAA==");

      // The trailer signature covers the checksum, so the signature check fires first.
      assertThat(failure(() -> decode(verifier("s3").verify(s.head()), wire)).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theTrailerSignature() throws Exception {
      Signed s = chunked(BIG, true, SdkChecksum.CRC32);
      String wire = new String(s.body(), StandardCharsets.ISO_8859_1);
      int at = wire.indexOf("x-amz-trailer-signature:") + "x-amz-trailer-signature:".length();
      String changed = wire.substring(0, at) + (wire.charAt(at) == '0' ? '1' : '0') + wire.substring(at + 1);

      assertThat(failure(() -> decode(verifier("s3").verify(s.head()), changed.getBytes(StandardCharsets.ISO_8859_1))).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void aTruncatedChunkedBody() throws Exception {
      Signed s = chunked(BIG, true, SdkChecksum.CRC32);
      byte[] wire = java.util.Arrays.copyOf(s.body(), s.body().length - 3);

      AuthException e = failure(() -> decode(verifier("s3").verify(s.head()), wire));

      assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_BODY);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("IncompleteBody");
    }

    @Test
    void aWrongContentMd5() throws Exception {
      byte[] body = randomBytes(11, 100);
      String wrong = Base64.getEncoder().encodeToString(md5("other".getBytes(StandardCharsets.UTF_8)));
      Signed s = put(body, h -> h.putHeader("Content-MD5", wrong), p -> {});

      AuthException e = failure(() -> decode(verifier("s3").verify(s.head()), s.body()));

      assertThat(e.kind()).isEqualTo(Kind.BAD_DIGEST);
    }

    @Test
    void aContentMd5ThatIsNotBase64OfSixteenBytes() {
      byte[] body = randomBytes(11, 100);
      Signed s = put(body, h -> h.putHeader("Content-MD5", "bm90IGFuIG1kNQ=="), p -> {});

      AuthException e = failure(() -> verifier("s3").verify(s.head()));

      assertThat(e.kind()).isEqualTo(Kind.INVALID_DIGEST);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("InvalidDigest");
    }

    @ParameterizedTest
    @ValueSource(ints = {-16, 16})
    void theDateSixteenMinutesOff(int minutes) {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
      SigV4Verifier v = verifier("s3", NOW.plus(Duration.ofMinutes(minutes)), TestRequests.REGION);

      AuthException e = failure(() -> v.verify(s.head()));

      assertThat(e.kind()).isEqualTo(Kind.TIME_SKEWED);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("RequestTimeTooSkewed");
    }

    @Test
    void theDateFourteenMinutesOffIsFine() throws Exception {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});

      assertThat(verifier("s3", NOW.minus(Duration.ofMinutes(14)), TestRequests.REGION).verify(s.head())).isNotNull();
    }

    @Test
    void anExpiredPresignedUrl() {
      Signed s = presigned(Duration.ofMinutes(10));
      SigV4Verifier later = verifier("s3", NOW.plus(Duration.ofMinutes(10)).plusSeconds(1), TestRequests.REGION);

      AuthException e = failure(() -> later.verify(s.head()));

      assertThat(e.kind()).isEqualTo(Kind.EXPIRED);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("AccessDenied");
      assertThat(S3Errors.fromAuth(e).getMessage()).isEqualTo("Request has expired");
    }

    @Test
    void aPresignedUrlFromTheFuture() {
      Signed s = presigned(Duration.ofHours(1));
      SigV4Verifier earlier = verifier("s3", NOW.minus(Duration.ofMinutes(16)), TestRequests.REGION);

      assertThat(failure(() -> earlier.verify(s.head())).kind()).isEqualTo(Kind.TIME_SKEWED);
    }

    @Test
    void aTamperedPresignedUrl() {
      Signed s = presigned(Duration.ofHours(1));
      RequestHead h = s.head();
      RequestHead changed = new RequestHead(h.method(), "/bucket2", h.rawQuery(), h.headers());

      assertThat(failure(() -> verifier("s3").verify(changed)).kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theWrongRegion() {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});

      AuthException e = failure(() -> verifier("s3", NOW, "eu-west-1").verify(s.head()));

      assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
      assertThat(e.detail()).isEqualTo(AuthException.Detail.CREDENTIAL_SCOPE);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("AuthorizationHeaderMalformed");
      assertThat(S3Errors.fromAuth(e).getMessage())
          .isEqualTo("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
    }

    @Test
    void anyRegionIsAcceptedWhenThePolicySaysSoAndTheSignatureStillCounts() throws Exception {
      SigV4Verifier anyRegion = new SigV4Verifier(TestRequests.lookup(), java.time.InstantSource.fixed(NOW),
          SigV4Verifier.SKEW_MAX_DEFAULT, "eu-west-1", RegionPolicy.ANY, "s3");
      Signed header = SdkSigning.signS3(awkwardGet(), null, p -> {});
      Signed query = presigned(Duration.ofHours(1));

      assertThat(anyRegion.verify(header.head()).principal().accessKeyId()).isEqualTo(TestRequests.ACCESS_KEY);
      assertThat(anyRegion.verify(query.head()).principal().accessKeyId()).isEqualTo(TestRequests.ACCESS_KEY);
      // The key is derived for the scope's region: a signature over another region's key fails.
      RequestHead h = header.head();
      String otherScope = h.header("authorization").orElseThrow().replace("/us-east-1/", "/eu-west-1/");
      RequestHead rescoped = withHeader(h, "authorization", otherScope);
      assertThat(failure(() -> anyRegion.verify(rescoped)).kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void theWrongRegionInAPresignedUrl() {
      Signed s = presigned(Duration.ofHours(1));

      AuthException e = failure(() -> verifier("s3", NOW, "eu-west-1").verify(s.head()));

      assertThat(e.presigned()).isTrue();
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("AuthorizationQueryParametersError");
    }

    @Test
    void theWrongService() {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});

      assertThat(failure(() -> verifier("ec2").verify(s.head())).detail())
          .isEqualTo(AuthException.Detail.CREDENTIAL_SCOPE);
    }

    @Test
    void anUnknownKey() {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
      SigV4Verifier v =
          new SigV4Verifier(k -> java.util.Optional.empty(), java.time.InstantSource.fixed(NOW),
              SigV4Verifier.SKEW_MAX_DEFAULT, TestRequests.REGION, "s3");

      AuthException e = failure(() -> v.verify(s.head()));

      assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ACCESS_KEY);
      assertThat(S3Errors.fromAuth(e).code()).isEqualTo("InvalidAccessKeyId");
    }

    @Test
    void aWrongSecret() {
      Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
      SigV4Verifier v =
          new SigV4Verifier(
              k -> java.util.Optional.of(new Credential(k, "not-the-secret", TestRequests.ACCOUNT)),
              java.time.InstantSource.fixed(NOW),
              SigV4Verifier.SKEW_MAX_DEFAULT,
              TestRequests.REGION,
              "s3");

      assertThat(failure(() -> v.verify(s.head())).kind()).isEqualTo(Kind.SIGNATURE_MISMATCH);
    }

    @Test
    void anEc2BodyByte() {
      byte[] form = "Action=DescribeInstances&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
      Signed s = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.POST, "/").build(), form, "ec2", NOW, p -> {});
      byte[] changed = form.clone();
      changed[7] = 'X';

      // The SDK sends x-amz-content-sha256 to EC2 too, but the signature is checked over the
      // hash of the body received, so a changed body is a signature that does not match.
      assertThat(s.head().header("x-amz-content-sha256")).isPresent();
      assertThat(failure(() -> verifier("ec2").verifyWhole(s.head(), changed)).kind())
          .isEqualTo(Kind.SIGNATURE_MISMATCH);
    }
  }

  @Test
  void aStreamingHeadWithoutContentSha256IsRefusedForS3() {
    Signed s = SdkSigning.signS3(awkwardGet(), null, p -> {});
    RequestHead head = TestRequests.withoutHeader(s.head(), "x-amz-content-sha256");

    AuthException e = failure(() -> verifier("s3").verify(head));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(S3Errors.fromAuth(e).code()).isEqualTo("InvalidRequest");
    assertThat(S3Errors.fromAuth(e).getMessage())
        .isEqualTo("Missing required header for this request: x-amz-content-sha256");
  }

  @Test
  void anAnonymousRequestIsMissing() {
    RequestHead anonymous =
        new RequestHead("GET", "/bucket/key", "", java.util.Map.of("host", List.of("s3.example.com")));

    AuthException e = failure(() -> verifier("s3").verify(anonymous));

    assertThat(e.kind()).isEqualTo(Kind.MISSING);
    assertThat(S3Errors.fromAuth(e).httpStatus()).isEqualTo(403);
  }

  private static int indexOf(byte[] haystack, String needle, int from) {
    return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(needle, from);
  }

  private static byte[] withTrailerValue(byte[] wire, String prefix, String value) {
    String s = new String(wire, StandardCharsets.ISO_8859_1);
    int at = s.indexOf(prefix) + prefix.length();
    int end = s.indexOf("\r\n", at);
    return (s.substring(0, at) + value + s.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
  }
}
