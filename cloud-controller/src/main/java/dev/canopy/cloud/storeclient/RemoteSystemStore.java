package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.core.time.Time;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.internal.KvPaths;
import dev.canopy.storage.internal.KvRecords;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SystemStore} on the storage process's internal KV endpoint, over mutual TLS. Calls
 * block, as the grid's MapStore does. A write returns only once the server answered 204, which
 * it does after its synced write: acknowledged means durable on the storage process. Every
 * failure is a {@link StoreException} with a sentence saying what and where, so the grid's put
 * fails and its map stays unchanged.
 *
 * <p>Retries: a request that got no answer because the connection failed (refused, reset,
 * closed — a storage restart, a stale pooled connection) is sent again under {@link RetryPolicy};
 * PUT and DELETE are idempotent, so a repeat is harmless. A request that timed out waiting for
 * its answer is not repeated: the server may still be applying it, and the caller must learn
 * that the outcome is unknown. An answer other than the expected one is never retried.
 */
public final class RemoteSystemStore implements SystemStore {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteSystemStore.class);
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** One record: a synced RocksDB write takes milliseconds; 10 s is a sick disk or server. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** A whole namespace at start, up to the listing cap. */
  public static final Duration LISTING_TIMEOUT = Duration.ofSeconds(60);
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
  public RemoteSystemStore(URI base, SSLContext tls, RetryPolicy retry, Time time) {
    if (!"https".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("the internal KV endpoint must be an https URL with a host, not " + base);
    }
    this.base = URI.create("https://" + base.getRawAuthority());
    this.retry = retry;
    this.time = time;
    this.http = HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** The store for a controller presenting {@code controller} credentials. */
  public static RemoteSystemStore connect(URI base, TlsCredentials controller, Time time, RetryPolicy retry) {
    return new RemoteSystemStore(base, StoragePeers.clientContext(controller, time), retry, time);
  }

  public URI endpoint() {
    return base;
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    if (value.length > InternalKvServer.VALUE_BYTES_MAX) {
      throw new StoreException(
          "cannot store " + namespace + "/" + key + ": " + value.length + " bytes pass the limit of " + InternalKvServer.VALUE_BYTES_MAX, null);
    }
    HttpRequest request = request(record(namespace, key), REQUEST_TIMEOUT)
        .header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(value))
        .build();
    expect(send("put " + namespace + "/" + key, request, BodyHandlers.ofString()), 204, "put " + namespace + "/" + key);
  }

  @Override
  public void delete(String namespace, String key) {
    HttpRequest request = request(record(namespace, key), REQUEST_TIMEOUT).DELETE().build();
    expect(send("delete " + namespace + "/" + key, request, BodyHandlers.ofString()), 204, "delete " + namespace + "/" + key);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    String what = "get " + namespace + "/" + key;
    HttpResponse<byte[]> response = send(what, request(record(namespace, key), REQUEST_TIMEOUT).GET().build(), BodyHandlers.ofByteArray());
    if (response.statusCode() == 200) {
      return Optional.of(response.body());
    }
    // Only the server's own "no such record" is absence; any other 404 is a wrong URL.
    if (response.statusCode() == 404
        && response.headers().firstValue(InternalKvServer.RESULT_HEADER).filter(InternalKvServer.RESULT_MISSING::equals).isPresent()) {
      return Optional.empty();
    }
    throw refused(what, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    String what = "load namespace " + namespace;
    URI uri = base.resolve(namespacePath(namespace));
    HttpResponse<InputStream> response = send(what, request(uri, LISTING_TIMEOUT).GET().build(), BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      // Read one byte past the cap, so an oversized answer is refused rather than truncated.
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, KvRecords.LISTING_BYTES_MAX + 1));
      if (response.statusCode() != 200) {
        throw refused(what, response.statusCode(), new String(bytes, 0, Math.min(bytes.length, ERROR_BODY_CHARS_MAX), StandardCharsets.UTF_8));
      }
      if (bytes.length > KvRecords.LISTING_BYTES_MAX) {
        throw new StoreException(what + " from " + base + ": the listing passes " + KvRecords.LISTING_BYTES_MAX + " bytes", null);
      }
      return KvRecords.decode(bytes);
    } catch (IOException e) {
      // The answer began but broke off: reading it again could half-load the map, so fail the load.
      throw new StoreException(what + " from " + base + ": the listing broke off: " + e, e);
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + " from " + base + ": the listing is corrupt: " + e.getMessage(), e);
    }
  }

  private URI record(String namespace, String key) {
    try {
      return base.resolve(KvPaths.recordPath(namespace, key));
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot address " + namespace + "/" + key + " on the internal KV endpoint: " + e.getMessage(), e);
    }
  }

  private static String namespacePath(String namespace) {
    try {
      return KvPaths.namespacePath(namespace);
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot address namespace " + namespace + ": " + e.getMessage(), e);
    }
  }

  private static HttpRequest.Builder request(URI uri, Duration timeout) {
    return HttpRequest.newBuilder(uri).timeout(timeout);
  }

  private <T> HttpResponse<T> send(String what, HttpRequest request, BodyHandler<T> handler) {
    IOException last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      try {
        return http.send(request, handler);
      } catch (HttpTimeoutException e) {
        if (!(e instanceof java.net.http.HttpConnectTimeoutException)) {
          throw new StoreException(what + " on " + base + " got no answer within " + request.timeout().orElse(null)
              + "; its outcome is unknown", e);
        }
        last = e;
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
    throw new StoreException(what + ": the storage endpoint " + base + " is unreachable after " + retry.attempts() + " tries: " + last, last);
  }

  private void sleep(Duration backoff, String what) {
    try {
      time.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + " on " + base + " was interrupted", e);
    }
  }

  private void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() == 409) {
      throw new StaleWriteRefused(what + " on " + base + " was refused: " + response.body());
    }
    if (response.statusCode() != status) {
      throw refused(what, response.statusCode(), response.body());
    }
  }

  private StoreException refused(String what, int status, String body) {
    String message = body == null ? "" : body.strip();
    if (message.length() > ERROR_BODY_CHARS_MAX) {
      message = message.substring(0, ERROR_BODY_CHARS_MAX) + "…";
    }
    return new StoreException(what + " on " + base + " was refused with " + status + (message.isEmpty() ? "" : ": " + message), null);
  }
}
