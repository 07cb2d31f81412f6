package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.core.time.Time;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.internal.KvKeys;
import dev.canopy.storage.internal.KvPaths;
import dev.canopy.storage.internal.KvRecords;
import dev.canopy.storage.internal.KvWrites;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.local.SystemStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A {@link SystemStore} on the storage process's internal KV endpoint, over mutual TLS. Calls
 * block, as the grid's MapStore does. A write returns only once the server answered 204, which
 * it does after its synced write: acknowledged means durable on the storage process. Every
 * failure is a {@link StoreException} with a sentence saying what and where, so the grid's put
 * fails and its map stays unchanged. Connection failures are retried by the {@link
 * StorageEndpoint}; a timed-out write is not (its outcome is unknown).
 */
public final class RemoteSystemStore implements SystemStore {

  /** One record: a synced RocksDB write takes milliseconds; 10 s is a sick disk or server. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** One batch body of up to 16 MiB, written with parallel quorum puts on the storage side. */
  public static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);
  /** A whole namespace at start, up to the listing cap. */
  public static final Duration LISTING_TIMEOUT = Duration.ofSeconds(60);

  private final StorageEndpoint endpoint;
  /** Keys per batch read of the namespaces whose records did not fit one answer at {@link KvKeys#KEYS_MAX}. */
  private final Map<String, Integer> batchReadKeys = new ConcurrentHashMap<>();
  /**
   * Set once a storage node answered a batch read 405: one from before the route (it only lists a
   * namespace) while the cloud is being upgraded. Reads then go a key at a time, as they did then.
   */
  private volatile boolean batchReadUnsupported;

  public RemoteSystemStore(StorageEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * @param base the endpoint, e.g. {@code https://10.0.0.5:8777}
   * @param tls from {@link StoragePeers#clientContext}
   * @param time sleeps the backoff between tries
   */
  public RemoteSystemStore(URI base, SSLContext tls, RetryPolicy retry, Time time) {
    this(new StorageEndpoint(base, tls, retry, time));
  }

  /** The store for a controller presenting {@code controller} credentials. */
  public static RemoteSystemStore connect(URI base, TlsCredentials controller, Time time, RetryPolicy retry) {
    return new RemoteSystemStore(StorageEndpoint.connect(base, controller, time, retry));
  }

  public URI endpoint() {
    return endpoint.base();
  }

  @Override
  public void put(String namespace, String key, byte[] value) {
    if (value.length > InternalKvServer.VALUE_BYTES_MAX) {
      throw new StoreException(
          "cannot store " + namespace + "/" + key + ": " + value.length + " bytes pass the limit of " + InternalKvServer.VALUE_BYTES_MAX, null);
    }
    String what = "put " + namespace + "/" + key;
    HttpRequest request = endpoint.request(path(() -> KvPaths.recordPath(namespace, key), namespace + "/" + key), REQUEST_TIMEOUT)
        .header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(value))
        .build();
    expect(endpoint.send(what, request, BodyHandlers.ofString()), 204, what);
  }

  /**
   * One request per {@link KvWrites#BATCH_BYTES_MAX} of records (a pass's usually fit one), each
   * answered once every record in it is written; a failure throws and the caller retries all.
   */
  @Override
  public void putAll(List<Write> writes) {
    if (writes.isEmpty()) {
      return;
    }
    for (Write w : writes) {
      if (w.value().length > InternalKvServer.VALUE_BYTES_MAX) {
        throw new StoreException("cannot store " + w.namespace() + "/" + w.key() + ": " + w.value().length
            + " bytes pass the limit of " + InternalKvServer.VALUE_BYTES_MAX, null);
      }
      path(() -> KvPaths.recordPath(w.namespace(), w.key()), w.namespace() + "/" + w.key());
    }
    String what = "put " + writes.size() + " records";
    for (byte[] body : KvWrites.encode(writes)) {
      HttpRequest request = endpoint.request(InternalKvServer.BATCH_PATH, BATCH_TIMEOUT)
          .header("Content-Type", KvWrites.CONTENT_TYPE)
          .POST(BodyPublishers.ofByteArray(body))
          .build();
      expect(endpoint.send(what, request, BodyHandlers.ofString()), 204, what);
    }
  }

  @Override
  public void delete(String namespace, String key) {
    String what = "delete " + namespace + "/" + key;
    HttpRequest request = endpoint.request(path(() -> KvPaths.recordPath(namespace, key), namespace + "/" + key), REQUEST_TIMEOUT)
        .DELETE().build();
    expect(endpoint.send(what, request, BodyHandlers.ofString()), 204, what);
  }

  @Override
  public Optional<byte[]> get(String namespace, String key) {
    String what = "get " + namespace + "/" + key;
    HttpRequest request = endpoint.request(path(() -> KvPaths.recordPath(namespace, key), namespace + "/" + key), REQUEST_TIMEOUT)
        .GET().build();
    HttpResponse<byte[]> response = endpoint.send(what, request, BodyHandlers.ofByteArray());
    if (response.statusCode() == 200) {
      return Optional.of(response.body());
    }
    if (StorageEndpoint.isMissing(response)) {
      return Optional.empty();
    }
    throw endpoint.refused(what, response.statusCode(), response.body());
  }

  /**
   * One request per {@link KvKeys#KEYS_MAX} keys ({@code POST /v1/kv/{namespace}?get}), each
   * answered with the records found, instead of a round trip per key. When a chunk's records are
   * too large for one answer (413, {@code Canopy-Kv-Result: too-large}) it asks for half as many
   * keys at a time; a single record always fits. The chunk size is kept per namespace, so that
   * the next call over large records (ledgers) does not pay the refused request again, and doubles
   * back while answers stay under a quarter of the cap. A key the API cannot carry fails the call
   * before anything is sent.
   */
  @Override
  public Map<String, byte[]> getAll(String namespace, Collection<String> keys) {
    if (batchReadUnsupported) {
      return SystemStore.super.getAll(namespace, keys);
    }
    String path = path(() -> KvPaths.batchReadPath(namespace), "namespace " + namespace);
    List<String> distinct = keys.stream().distinct().toList();
    for (String key : distinct) {
      path(() -> KvPaths.recordPath(namespace, key), namespace + "/" + key);
    }
    Map<String, byte[]> found = new HashMap<>();
    int chunk = batchReadKeys.getOrDefault(namespace, KvKeys.KEYS_MAX);
    int from = 0;
    while (from < distinct.size()) {
      List<String> asked = distinct.subList(from, Math.min(distinct.size(), from + chunk));
      Optional<Map<String, byte[]>> answer;
      try {
        answer = getChunk(path, namespace, asked);
      } catch (BatchReadUnsupported older) {
        batchReadUnsupported = true;
        found.putAll(SystemStore.super.getAll(namespace, distinct.subList(from, distinct.size())));
        return found;
      }
      if (answer.isPresent()) {
        found.putAll(answer.get());
        from += asked.size();
        if (asked.size() == chunk && KvRecords.encodedSize(answer.get()) < KvKeys.ANSWER_BYTES_MAX / 4) {
          chunk = Math.min(KvKeys.KEYS_MAX, chunk * 2);
        }
      } else {
        chunk = Math.max(1, asked.size() / 2);
      }
    }
    if (chunk == KvKeys.KEYS_MAX) {
      batchReadKeys.remove(namespace);
    } else {
      batchReadKeys.put(namespace, chunk);
    }
    return found;
  }

  /** The records of one chunk of keys, or empty when they are too large for one answer. */
  private Optional<Map<String, byte[]>> getChunk(String path, String namespace, List<String> keys) {
    String what = "get " + keys.size() + " records of " + namespace;
    HttpRequest request = endpoint.request(path, LISTING_TIMEOUT)
        .header("Content-Type", KvKeys.CONTENT_TYPE)
        .POST(BodyPublishers.ofByteArray(KvKeys.encode(keys)))
        .build();
    HttpResponse<byte[]> response = endpoint.send(what, request, BodyHandlers.ofByteArray());
    if (response.statusCode() == 413 && keys.size() > 1
        && response.headers().firstValue(InternalKvServer.RESULT_HEADER).filter(KvKeys.RESULT_TOO_LARGE::equals).isPresent()) {
      return Optional.empty();
    }
    if (response.statusCode() == 405) {
      throw new BatchReadUnsupported();
    }
    if (response.statusCode() != 200) {
      throw endpoint.refused(what, response.statusCode(), response.body());
    }
    try {
      return Optional.of(KvRecords.decode(response.body()));
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + " from " + endpoint.base() + ": the answer is corrupt: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, byte[]> loadAll(String namespace) {
    String what = "load namespace " + namespace;
    HttpRequest request = endpoint.request(path(() -> KvPaths.namespacePath(namespace), "namespace " + namespace), LISTING_TIMEOUT)
        .GET().build();
    HttpResponse<InputStream> response = endpoint.send(what, request, BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      // Read one byte past the cap, so an oversized answer is refused rather than truncated.
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, KvRecords.LISTING_BYTES_MAX + 1));
      if (response.statusCode() != 200) {
        throw endpoint.refused(what, response.statusCode(), bytes);
      }
      if (bytes.length > KvRecords.LISTING_BYTES_MAX) {
        throw new StoreException(what + " from " + endpoint.base() + ": the listing passes " + KvRecords.LISTING_BYTES_MAX + " bytes", null);
      }
      return KvRecords.decode(bytes);
    } catch (IOException e) {
      // The answer began but broke off: reading it again could half-load the map, so fail the load.
      throw new StoreException(what + " from " + endpoint.base() + ": the listing broke off: " + e, e);
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + " from " + endpoint.base() + ": the listing is corrupt: " + e.getMessage(), e);
    }
  }

  /** A record's or namespace's path; a name the API cannot carry is the caller's store failure. */
  private static String path(Supplier<String> path, String name) {
    try {
      return path.get();
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot address " + name + " on the internal KV endpoint: " + e.getMessage(), e);
    }
  }

  private void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() == 409) {
      throw new StaleWriteRefused(what + " on " + endpoint.base() + " was refused: " + response.body());
    }
    if (response.statusCode() != status) {
      throw endpoint.refused(what, response.statusCode(), response.body());
    }
  }

  /** A storage node without the batch-read route (405): an older build, mid-upgrade. */
  private static final class BatchReadUnsupported extends RuntimeException {
    BatchReadUnsupported() {
      super(null, null, false, false);
    }
  }
}
