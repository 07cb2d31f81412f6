package dev.canopy.cloud.storeclient;

import dev.canopy.core.net.PeerHttp;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.core.time.Time;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.local.StoreException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's HTTPS client of the storage process's internal endpoint, over mutual TLS: one
 * connection pool and one retry rule for every kind of call on it (the grid's records, objects'
 * digests). Calls block. Every failure is a {@link StoreException} with a sentence saying what
 * and where.
 *
 * <p>Retries: a request that got no answer because the connection failed (refused, reset,
 * closed — a storage restart, a stale pooled connection) is sent again under {@link RetryPolicy};
 * every request on this endpoint is idempotent (GET, PUT, DELETE, and the POSTs of a batch write
 * of absolute values and of a batch read), so a repeat is harmless. A
 * request that timed out waiting for its answer is not repeated: the server may still be applying
 * it, and the caller must learn that the outcome is unknown. But the JDK's client also reports
 * "request timed out" long before a request's own timeout could have run out: when a whole cluster
 * started at once (six JVMs on two cores), 60 s namespace listings failed so 3–8 s after they were
 * sent, and every such failure made the grid load its map again. A timeout reported before the
 * request's own deadline is therefore taken for what it can only be, a connection not set up in
 * time, and retried like one. An answer, whatever its status, is never retried here.
 */
public final class StorageEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(StorageEndpoint.class);
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final int ERROR_BODY_CHARS_MAX = 300;

  private final URI base;
  private final HttpClient http;
  private final Time time;
  private final RetryPolicy retry;

  /**
   * @param base the endpoint, e.g. {@code https://10.0.0.5:8777}
   * @param tls from {@link StoragePeers#clientContext}
   * @param time sleeps the backoff between tries
   */
  public StorageEndpoint(URI base, SSLContext tls, RetryPolicy retry, Time time) {
    this(base, tls, retry, time, CONNECT_TIMEOUT);
  }

  /** As above, with another connect timeout (tests: a handshake that never ends, quickly). */
  StorageEndpoint(URI base, SSLContext tls, RetryPolicy retry, Time time, Duration connectTimeout) {
    if (!"https".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("the internal KV endpoint must be an https URL with a host, not " + base);
    }
    this.base = URI.create("https://" + base.getRawAuthority());
    this.retry = retry;
    this.time = time;
    this.http = PeerHttp.client(tls, connectTimeout);
  }

  /** The endpoint for a controller presenting {@code controller} credentials. */
  public static StorageEndpoint connect(URI base, TlsCredentials controller, Time time, RetryPolicy retry) {
    return new StorageEndpoint(base, StoragePeers.clientContext(controller, time), retry, time);
  }

  public URI base() {
    return base;
  }

  /** A request for {@code path} (already encoded) that waits at most {@code timeout} for its answer. */
  HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
  }

  /** Sends, trying again while the connection fails (see the class comment). */
  <T> HttpResponse<T> send(String what, HttpRequest request, BodyHandler<T> handler) {
    IOException last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      long sent = time.nanoTime();
      try {
        return http.send(request, handler);
      } catch (HttpTimeoutException e) {
        long waitedNanos = time.nanoTime() - sent;
        if (!(e instanceof HttpConnectTimeoutException) && !beforeRequestTimeout(request, waitedNanos)) {
          throw new StoreException(what + " on " + base + " got no answer within " + request.timeout().orElse(null)
              + "; its outcome is unknown", e);
        }
        last = e instanceof HttpConnectTimeoutException ? e : timedOutEarly(e, waitedNanos, request);
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(what + " on " + base + " was interrupted", e);
      }
      if (attempt < retry.attempts()) {
        Duration backoff = retry.backoffAfter(attempt);
        LOG.debug("{} on {}: try {} failed ({}); again in {} ms", what, base, attempt, last.toString(), backoff.toMillis());
        sleep(backoff, what);
      }
    }
    LOG.warn("{} on {} failed after {} tries: {}", what, base, retry.attempts(), last.toString());
    throw new StoreException(what + ": the storage endpoint " + base + " is unreachable after " + retry.attempts() + " tries: " + last, last,
        true);
  }

  /** The class comment's early timeout, as the connection failure it is. */
  private static IOException timedOutEarly(HttpTimeoutException reported, long waitedNanos, HttpRequest request) {
    IOException e = new HttpConnectTimeoutException("timed out after " + waitedNanos / 1_000_000 + " ms, before the request's own "
        + request.timeout().map(Duration::toMillis).orElse(0L) + " ms: a connection not set up in time");
    e.initCause(reported);
    return e;
  }

  /** True when {@code request}'s own timeout cannot have run out after {@code waitedNanos}. */
  private static boolean beforeRequestTimeout(HttpRequest request, long waitedNanos) {
    return request.timeout().map(timeout -> waitedNanos < timeout.toNanos()).orElse(false);
  }

  /** True when the answer is the server's own "no such record or object", not a wrong URL. */
  static boolean isMissing(HttpResponse<?> response) {
    return response.statusCode() == 404
        && response.headers().firstValue(InternalKvServer.RESULT_HEADER).filter(InternalKvServer.RESULT_MISSING::equals).isPresent();
  }

  /** The failure for an answer other than the expected one, quoting (the start of) its body. */
  StoreException refused(String what, int status, String body) {
    String message = body == null ? "" : body.strip();
    if (message.length() > ERROR_BODY_CHARS_MAX) {
      message = message.substring(0, ERROR_BODY_CHARS_MAX) + "…";
    }
    // 503: this storage node could not reach its quorum or is stopping; another node may.
    return new StoreException(what + " on " + base + " was refused with " + status + (message.isEmpty() ? "" : ": " + message), null,
        status == 503);
  }

  /** {@link #refused(String, int, String)} for a body of bytes, of which only the quoted start is decoded. */
  StoreException refused(String what, int status, byte[] body) {
    return refused(what, status, new String(body, 0, Math.min(body.length, ERROR_BODY_CHARS_MAX + 1), StandardCharsets.UTF_8));
  }

  private void sleep(Duration backoff, String what) {
    try {
      time.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + " on " + base + " was interrupted", e);
    }
  }
}
