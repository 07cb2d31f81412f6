package dev.canopy.cloud.consoles3;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import dev.canopy.api.error.Unavailable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls an S3 endpoint of the cloud as an account: path-style requests signed with SigV4 by the
 * account's key. A body is streamed as it arrives ({@code UNSIGNED-PAYLOAD}: never hashed, never held
 * whole), with the length the browser announced. The storage nodes each serve every object, so
 * requests go to them in turn.
 */
final class S3Upstream {

  /** A call that moves no byte for this long is given up on. */
  private static final long IDLE_TIMEOUT_MS = 60_000;

  private final HttpClient client;
  private final Supplier<List<URI>> endpoints;
  private final SigV4Signer signer;
  private final String region;
  private final AtomicInteger next = new AtomicInteger();

  /** @param endpoints the cloud's S3 endpoints, read at each call (storage nodes come and go) */
  S3Upstream(Vertx vertx, Supplier<List<URI>> endpoints, String region, InstantSource clock) {
    this.client = vertx.createHttpClient();
    this.endpoints = endpoints;
    this.signer = new SigV4Signer(clock);
    this.region = region;
  }

  /** A request to S3: its method, the raw (encoded) path and query, and a body when it has one. */
  record Request(HttpMethod method, String rawPath, String rawQuery, ReadStream<Buffer> body, String contentLength) {

    static Request bodiless(HttpMethod method, String rawPath, String rawQuery) {
      return new Request(method, rawPath, rawQuery, null, null);
    }
  }

  /**
   * Sends the request (on the event loop): the answer's head, its body still to be read or piped.
   * The endpoints are taken in turn; one that refuses the connection is passed over for the next
   * (nothing of the body has been read then), so a storage node that is down costs a retry, not an
   * error. A failure after the connection is the caller's answer.
   */
  Future<HttpClientResponse> send(Request request, Credential credential) {
    List<URI> known = endpoints.get();
    if (known.isEmpty()) {
      return Future.failedFuture(new Unreachable("no S3 endpoint is known", null));
    }
    return attempt(request, credential, known, next.getAndIncrement(), 0);
  }

  private Future<HttpClientResponse> attempt(Request request, Credential credential, List<URI> known, int first, int tried) {
    URI base = known.get(Math.floorMod(first + tried, known.size()));
    String query = request.rawQuery() == null || request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery();
    URI uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + request.rawPath() + query);
    Map<String, String> headers = request.body() == null
        ? signer.sign(request.method().name(), uri, Map.of(), new byte[0], credential, region, "s3")
        : signer.signUnsignedPayload(request.method().name(), uri, Map.of(), credential, region);
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setAbsoluteURI(uri.toString())
        .setIdleTimeout(IDLE_TIMEOUT_MS);
    headers.forEach(options::putHeader);
    return client.request(options).transform(connected -> {
      if (connected.failed()) {
        return tried + 1 < known.size()
            ? attempt(request, credential, known, first, tried + 1)
            : Future.failedFuture(new Unreachable("no S3 endpoint answered; the last, " + base + ": " + connected.cause(), connected.cause()));
      }
      HttpClientRequest out = connected.result();
      Future<HttpClientResponse> sent;
      if (request.body() == null) {
        sent = out.send();
      } else {
        out.putHeader("content-length", request.contentLength());
        sent = out.send(request.body());
      }
      return sent.recover(failure -> Future.failedFuture(new Unreachable("S3 at " + base + " did not answer: " + failure, failure)));
    });
  }

  Future<Void> close() {
    return client.close();
  }

  /** No storage node serves S3 now: 503 {@code ServiceUnavailable}, which a retry may get past. */
  static final class Unreachable extends RuntimeException implements Unavailable {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
