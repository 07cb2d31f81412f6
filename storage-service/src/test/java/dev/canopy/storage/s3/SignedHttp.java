package dev.canopy.storage.s3;

import dev.canopy.api.auth.Credential;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests signed with the SDK's own SigV4 signer but sent by a plain HTTP client, for what an
 * SDK will not send: raw paths and query strings, wrong checksums, odd headers. The path and
 * query go on the wire exactly as given (already percent-encoded by the caller).
 */
final class SignedHttp {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final URI endpoint;
  private final Credential credential;

  SignedHttp(URI endpoint, Credential credential) {
    this.endpoint = endpoint;
    this.credential = credential;
  }

  /** Sends with a Content-Length; {@code headers} are name, value pairs. */
  HttpResponse<String> send(String method, String pathAndQuery, byte[] body, String... headers) throws Exception {
    return send(false, method, pathAndQuery, body, headers);
  }

  /** {@code chunked}: send the body with Transfer-Encoding: chunked (no Content-Length). */
  HttpResponse<String> send(boolean chunked, String method, String pathAndQuery, byte[] body, String... headers)
      throws Exception {
    return HTTP.send(request(chunked, false, method, pathAndQuery, body, () -> new ByteArrayInputStream(body), headers),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Signs the request with {@code headers}, then adds {@code unsigned} (name, value pairs) that the signature does not cover. */
  HttpResponse<String> sendAddingUnsigned(String method, String pathAndQuery, byte[] body, String[] unsigned,
      String... headers) throws Exception {
    HttpRequest signed = request(false, false, method, pathAndQuery, body, () -> new ByteArrayInputStream(body), headers);
    HttpRequest.Builder extended = HttpRequest.newBuilder(signed, (name, value) -> true);
    for (int i = 0; i < unsigned.length; i += 2) {
      extended.header(unsigned[i], unsigned[i + 1]);
    }
    return HTTP.send(extended.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Signs {@code body} but sends (with its Content-Length) what {@code wire} yields when it yields it: a test holds
   * a body mid-stream this way. It asks for 100-continue, which the server sends once the request
   * passed authentication, so the first read of {@code wire} means the server took the request.
   */
  java.util.concurrent.CompletableFuture<HttpResponse<String>> sendStreaming(
      String method, String pathAndQuery, byte[] body, java.util.function.Supplier<java.io.InputStream> wire,
      String... headers) {
    return HTTP.sendAsync(request(true, true, method, pathAndQuery, body, wire, headers), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(boolean chunked, boolean streaming, String method, String pathAndQuery, byte[] body,
      java.util.function.Supplier<java.io.InputStream> wire, String... headers) {
    URI uri = URI.create(endpoint + pathAndQuery);
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(credential.accessKeyId(), credential.secretAccessKey()))
        .request(request.build())
        .payload(() -> new ByteArrayInputStream(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, S3TestServer.REGION)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    HttpRequest.Builder http = HttpRequest.newBuilder(uri)
        .expectContinue(streaming)
        .method(method, streaming
            ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(wire), body.length)
            : chunked ? HttpRequest.BodyPublishers.ofInputStream(wire)
            : body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    signed.request().forEachHeader((name, values) -> {
      if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
        values.forEach(v -> http.header(name, v));
      }
    });
    return http.build();
  }

  /**
   * Writes {@code head} (request line and headers, CRLF-separated, without the blank line) on a
   * fresh socket, for what java.net.URI refuses to carry (a broken percent escape). Returns the
   * whole answer; the request asks the server to close after it.
   */
  String raw(String head) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(30_000);
      String request = head + "\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** An unsigned request: what an anonymous client or a browser sends. */
  HttpResponse<String> anonymous(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
