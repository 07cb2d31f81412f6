package dev.canopy.api.auth;

import dev.canopy.api.http.RequestHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the AWS SDK for Java v2, the reference client. */
final class SdkSigning {

  static final String S3_HOST = "s3.example.com";
  static final int PORT = 8779;

  private SdkSigning() {}

  /** What went on the wire: the request head and the (possibly aws-chunked) body. */
  record Signed(RequestHead head, byte[] body) {}

  static SdkHttpFullRequest.Builder request(SdkHttpMethod method, String encodedPath) {
    return SdkHttpFullRequest.builder()
        .method(method)
        .protocol("https")
        .host(S3_HOST)
        .port(PORT)
        .encodedPath(encodedPath);
  }

  /** Signs as the S3 client does: no path normalisation, no double encoding. */
  static Signed signS3(
      SdkHttpFullRequest request, byte[] payload, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
    return sign(
        request,
        payload,
        "s3",
        TestRequests.NOW,
        b -> {
          b.putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
              .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false);
          extra.accept(b);
        });
  }

  static Signed sign(
      SdkHttpFullRequest request,
      byte[] payload,
      String service,
      Instant at,
      Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                b -> {
                  b.identity(AwsCredentialsIdentity.create(TestRequests.ACCESS_KEY, TestRequests.SECRET))
                      .request(request)
                      .putProperty(AwsV4HttpSigner.REGION_NAME, TestRequests.REGION)
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                      .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
                  if (payload != null) {
                    b.payload(ContentStreamProvider.fromByteArray(payload));
                  }
                  extra.accept(b);
                });
    var r = signed.request();
    RequestHead head =
        new RequestHead(
            r.method().name(),
            r.encodedPath(),
            r.encodedQueryParameters().orElse(""),
            TestRequests.lowerCase(r.headers()));
    byte[] body;
    try {
      body = signed.payload().isPresent() ? signed.payload().get().newStream().readAllBytes() : new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Signed(head, body);
  }
}
