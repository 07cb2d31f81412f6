package dev.canopy.cloud.storeclient;

import dev.canopy.cloud.metering.buckets.BucketStorageSource;
import dev.canopy.storage.internal.BucketStorage;
import dev.canopy.storage.local.StoreException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * What a bucket stores, measured by one storage node ({@code GET /v1/bucket-storage/{bucketId}} on
 * its internal endpoint, mutual TLS, the grid's retry rule). The node lists the whole bucket, so
 * the answer may take a while for a large one.
 */
public final class RemoteBucketStorage implements BucketStorageSource {

  /** A listing of a large bucket reads a thousand entries a page; a few minutes is a sick node. */
  public static final Duration MEASURE_TIMEOUT = Duration.ofMinutes(2);

  private final StorageEndpoint endpoint;

  public RemoteBucketStorage(StorageEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  public java.net.URI base() {
    return endpoint.base();
  }

  @Override
  public long bytes(String bucketId) {
    String what = "measure bucket " + bucketId;
    HttpRequest request = endpoint.request(BucketStorage.path(bucketId), MEASURE_TIMEOUT).GET().build();
    HttpResponse<byte[]> response = endpoint.send(what, request, BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw endpoint.refused(what, response.statusCode(), response.body());
    }
    try {
      return BucketStorage.parse(response.body());
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + " on " + endpoint.base() + ": the answer is corrupt: " + e.getMessage(), e);
    }
  }
}
