package dev.canopy.cloud.ec2;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request as it came (method, path, query, headers, body) to the lease holder's endpoint
 * and relays its answer: a signed EC2 call keeps its signature (Host included), a console call its
 * session cookie and CSRF header, which the holder checks against the same grid. The request is
 * marked {@link LeaderForwarding#FORWARDED_HEADER}, so it is never forwarded again.
 */
final class LeaderForwarder {

  /** A forwarded call waits this long for the holder; scheduling answers in milliseconds. */
  private static final long FORWARD_TIMEOUT_MS = 30_000;
  /**
   * Headers of one connection, not of the request (RFC 9110 7.6.1), and the Host, which is set
   * apart: an {@code Upgrade: h2c} passed on without its {@code Connection} makes the holder refuse
   * the request (Java's HttpClient offers that upgrade by default).
   */
  private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("host", "connection", "keep-alive", "proxy-connection",
      "upgrade", "http2-settings", "te", "trailer", "transfer-encoding");
  private static final Logger LOG = LoggerFactory.getLogger(LeaderForwarder.class);

  private final HttpClient client;
  /** For an HTTPS holder (the console outside dev); null when this controller has no way to trust one. */
  private final HttpClient tlsClient;

  LeaderForwarder(Vertx vertx) {
    this(vertx, null);
  }

  /**
   * @param holderTrust whom to trust at an {@code https} holder endpoint (the cloud CA's controller
   *     certificates, known by role as between controllers, so the name is not checked); null: none
   */
  LeaderForwarder(Vertx vertx, TrustOptions holderTrust) {
    this.client = vertx.createHttpClient();
    this.tlsClient = holderTrust == null ? null
        : vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(false).setTrustOptions(holderTrust));
  }

  /**
   * The holder's endpoint; empty when it cannot be known now (a controller cut off from the grid's
   * majority cannot read it): the client then gets this controller's own 503 and retries.
   * Blocking (a grid read).
   */
  static Optional<URI> holder(LeaderForwarding forwarding, String what) {
    try {
      return forwarding.leaderEndpoint();
    } catch (RuntimeException e) {
      LOG.warn("{}: the lease holder's endpoint cannot be read, answering without forwarding: {}", what, e.toString());
      return Optional.empty();
    }
  }

  static boolean wasForwarded(HttpServerRequest request) {
    return request.getHeader(LeaderForwarding.FORWARDED_HEADER) != null;
  }

  /**
   * Forwards to {@code leader} (its host and port; the path is the request's own); when the holder
   * cannot be reached, {@code local} answers instead.
   */
  void forward(HttpServerRequest request, Buffer body, URI leader, String what, Runnable local) {
    boolean tls = "https".equalsIgnoreCase(leader.getScheme());
    HttpClient through = tls ? tlsClient : client;
    if (through == null) {
      LOG.info("could not forward {} to the leader at {}: no trust for its HTTPS", what, leader);
      local.run();
      return;
    }
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setServer(SocketAddress.inetSocketAddress(leader.getPort(), leader.getHost()))
        .setURI(request.uri())
        .setTimeout(FORWARD_TIMEOUT_MS);
    String authority = request.getHeader("host");
    if (authority != null) {
      options.setHost(hostOf(authority)).setPort(portOf(authority));
    }
    request.headers().forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        options.addHeader(name, value);
      }
    });
    options.putHeader(LeaderForwarding.FORWARDED_HEADER, "1");
    through.request(options.setSsl(tls))
        .compose(out -> out.send(body))
        .compose(answer -> answer.body().map(bytes -> relay(request, answer, bytes)))
        .onFailure(e -> {
          LOG.info("could not forward {} to the leader at {}: {}", what, leader, e.toString());
          local.run();
        });
  }

  Future<Void> close() {
    return tlsClient == null ? client.close() : client.close().eventually(tlsClient::close);
  }

  private static Void relay(HttpServerRequest request, HttpClientResponse answer, Buffer bytes) {
    String type = answer.getHeader("content-type");
    request.response().setStatusCode(answer.statusCode())
        .putHeader("content-type", type == null ? "text/xml;charset=UTF-8" : type)
        .end(bytes);
    return null;
  }

  private static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private static int portOf(String authority) {
    int bracket = authority.lastIndexOf(']');
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || colon < bracket) {
      return 80;
    }
    try {
      return Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
