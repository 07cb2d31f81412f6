package dev.canopy.cloud.storeclient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One storage node's ring as it holds it ({@code GET /v1/ring} on its internal endpoint, mutual TLS):
 * members, partitions each owns, this node's pending handoffs, as JSON.
 */
public final class RemoteRing {

  /** The operator's overview waits this long for a node; a slower one is shown as not answering. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

  private final StorageEndpoint endpoint;

  public RemoteRing(StorageEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  public java.net.URI base() {
    return endpoint.base();
  }

  /** The ring's JSON; throws when the node does not answer or refuses. */
  public String read() {
    String what = "read the ring";
    HttpRequest request = endpoint.request("/v1/ring", READ_TIMEOUT).GET().build();
    HttpResponse<byte[]> response = endpoint.send(what, request, BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw endpoint.refused(what, response.statusCode(), response.body());
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
