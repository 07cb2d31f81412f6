package dev.canopy.deploy.it;

import java.net.URI;
import java.net.http.HttpRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Admin API requests signed by the AWS SDK's own SigV4 signer: an independent client. */
final class AdminRequests {

  private AdminRequests() {}

  static HttpRequest signedGet(URI uri, String keyId, String secret, String region) {
    return signedGet(uri, keyId, secret, region, "canopy");
  }

  /** A GET signed for {@code service} ("ec2" takes its whole Query request in the URI). */
  static HttpRequest signedGet(URI uri, String keyId, String secret, String region, String service) {
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(keyId, secret))
        .request(request)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
    // java.net.http sets Host itself and refuses to be told it.
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(v -> builder.header(name, v));
      }
    });
    return builder.build();
  }
}
