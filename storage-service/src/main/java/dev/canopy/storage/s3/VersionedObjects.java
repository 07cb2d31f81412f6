package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.DeleteMarkerException;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.Versioning;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * What versioning adds to the single-object operations: the version a request names ({@code
 * ?versionId=}), the {@code x-amz-version-id} and {@code x-amz-delete-marker} headers of the
 * answers, and DeleteObject by version.
 */
final class VersionedObjects {

  static final String VERSION_ID_HEADER = "x-amz-version-id";
  static final String DELETE_MARKER_HEADER = "x-amz-delete-marker";

  private final ObjectBackend backend;
  private final BucketConfigs configs;

  VersionedObjects(ObjectBackend backend, BucketConfigs configs) {
    this.backend = backend;
    this.configs = configs;
  }

  /** The {@code versionId} query parameter, or null. */
  static String requested(S3Exchange ex) {
    return ex.query.get("versionId").orElse(null);
  }

  /** The backend whose writes obey the bucket's versioning state; blocking. */
  ObjectBackend writes(BucketRecord bucket) {
    return VersioningHandlers.writesTo(backend, configs, bucket);
  }

  /** Sends the version header of a version written or read; none in a never-versioned bucket. */
  static void writeVersion(HttpServerResponse response, String versionId) {
    if (versionId != null) {
      response.putHeader(VERSION_ID_HEADER, versionId);
    }
  }

  /**
   * A failed GET or HEAD: a read of a delete marker's id (405) or of a key whose current version
   * is a delete marker (404 NoSuchKey) carries the marker's headers, as S3 sends them.
   */
  <T> Future<T> explainMiss(S3Exchange ex, Throwable failure) {
    if (failure instanceof DeleteMarkerException marker) {
      markerHeaders(ex.response, marker.versionId());
      return Future.failedFuture(failure);
    }
    if (requested(ex) != null || !(failure instanceof AwsException error) || !error.code().equals("NoSuchKey")) {
      return Future.failedFuture(failure);
    }
    BucketRecord bucket = ex.bucket();
    String key = ex.target.key();
    return ex.blocking(() -> VersioningHandlers.mode(configs, bucket) == Versioning.UNVERSIONED
            ? Optional.<ObjectVersion>empty() : backend.latestVersion(bucket.id(), key))
        .transform(latest -> {
          if (latest.succeeded() && latest.result().filter(ObjectVersion::deleteMarker).isPresent()) {
            markerHeaders(ex.response, latest.result().get().versionId());
          }
          return Future.failedFuture(failure);
        });
  }

  /** DeleteObject, with or without {@code ?versionId=}: 204 and the version headers. */
  Future<Void> delete(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    String key = ex.target.key();
    String versionId = requested(ex);
    return ex.blocking(() -> writes(bucket).deleteVersion(bucket.id(), key, versionId)).map(deletion -> {
      writeVersion(ex.response, deletion.versionId());
      if (deletion.deleteMarker()) {
        ex.response.putHeader(DELETE_MARKER_HEADER, "true");
      }
      ex.sendEmpty(204);
      return null;
    });
  }

  private static void markerHeaders(HttpServerResponse response, String versionId) {
    response.putHeader(DELETE_MARKER_HEADER, "true");
    writeVersion(response, versionId);
  }
}
