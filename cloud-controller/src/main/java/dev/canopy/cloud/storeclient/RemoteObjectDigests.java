package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.images.ObjectDigests;
import dev.canopy.storage.backend.ObjectDigest;
import dev.canopy.storage.internal.ObjectDigestJson;
import dev.canopy.storage.internal.ObjectDigester;
import dev.canopy.storage.internal.ObjectPaths;
import dev.canopy.storage.local.StoreException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;

/**
 * Objects' digests from the storage process ({@code GET /v1/objects/{bucket}/{key}/digest} on its
 * internal endpoint), on the same mutual-TLS client and retry rule as the grid's records. The
 * storage process computes each SHA-256 once per object version; this side remembers nothing.
 */
public final class RemoteObjectDigests implements ObjectDigests {

  /**
   * The first digest of an object streams all of it on the storage process, which waits up to
   * {@link ObjectDigester#WAIT_MAX} for one in progress; this side waits that and a little more,
   * so it hears the server's own answer.
   */
  public static final Duration DIGEST_TIMEOUT = ObjectDigester.WAIT_MAX.plus(RemoteSystemStore.REQUEST_TIMEOUT);

  private final StorageEndpoint endpoint;

  public RemoteObjectDigests(StorageEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** The storage node's internal endpoint. */
  public java.net.URI base() {
    return endpoint.base();
  }

  @Override
  public Optional<ObjectDigest> digest(String bucket, String key) {
    String what = "digest " + bucket + "/" + key;
    String path;
    try {
      path = ObjectPaths.digestPath(bucket, key);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a name no stored object can have
    }
    HttpRequest request = endpoint.request(path, DIGEST_TIMEOUT).GET().build();
    HttpResponse<byte[]> response = endpoint.send(what, request, BodyHandlers.ofByteArray());
    if (StorageEndpoint.isMissing(response)) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw endpoint.refused(what, response.statusCode(), response.body());
    }
    try {
      return Optional.of(ObjectDigestJson.decode(response.body()));
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + " on " + endpoint.base() + ": the answer is corrupt: " + e.getMessage(), e);
    }
  }
}
