package dev.canopy.storage.s3;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A client that signs nothing, as curl or a browser: S3's anonymous requester. */
final class AnonymousHttp {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final URI endpoint;

  AnonymousHttp(URI endpoint) {
    this.endpoint = endpoint;
  }

  HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
    return send(method, pathAndQuery, null);
  }

  /** @param body null for none */
  HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
