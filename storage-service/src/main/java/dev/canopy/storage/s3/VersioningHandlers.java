package dev.canopy.storage.s3;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.backend.VersionsQuery;
import dev.canopy.storage.backend.StorageErrors;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Get/PutBucketVersioning ({@code ?versioning}) and ListObjectVersions ({@code ?versions}). The
 * state is the bucket's {@value VersioningXml#DOCUMENT} document; every write reads it through
 * {@link BucketConfigs}, so a change made through another storage node applies here within
 * {@link BucketConfigs#CACHED}.
 */
final class VersioningHandlers {

  private final ObjectBackend backend;
  private final BucketConfigs configs;

  VersioningHandlers(ObjectBackend backend, BucketConfigs configs) {
    this.backend = backend;
    this.configs = configs;
  }

  /** The bucket's versioning state; blocking (call on a worker). */
  static Versioning mode(BucketConfigs configs, BucketRecord bucket) {
    return VersioningXml.mode(configs.get(bucket, VersioningXml.DOCUMENT));
  }

  /**
   * Runs an object call that cannot address a version yet (object ACLs, attributes). The router
   * reads {@code versionId=null} as "no version", which is right while the bucket was never
   * versioned; once it has versions the null version may be a noncurrent one, so such a request
   * answers NotImplemented instead of acting on the current version.
   */
  Future<Void> currentVersionOnly(S3Exchange ex, Supplier<Future<Void>> call) {
    if (!dev.canopy.storage.backend.ObjectVersion.NULL_ID.equals(VersionedObjects.requested(ex))) {
      return call.get();
    }
    return ex.blocking(() -> mode(configs, ex.bucket())).compose(mode -> mode == Versioning.UNVERSIONED
        ? call.get()
        : Future.failedFuture(StorageErrors.notImplemented("versionId on " + ex.operation + " in a versioned bucket")));
  }

  /** The backend whose writes obey the bucket's versioning state; blocking. */
  static ObjectBackend writesTo(ObjectBackend backend, BucketConfigs configs, BucketRecord bucket) {
    return backend.versioned(mode(configs, bucket));
  }

  Future<Void> get(S3Exchange ex) {
    return ex.blocking(() -> mode(configs, ex.bucket())).map(mode -> {
      ex.sendXml(200, VersioningXml.render(mode));
      return null;
    });
  }

  Future<Void> put(S3Exchange ex) {
    BodyIntegrity.require(ex);
    return ex.readSmallBody(VersioningXml.BODY_BYTES_MAX).compose(body -> {
      Versioning mode = VersioningXml.parse(body);
      return ex.blocking(() -> {
        // Refused here, before the state is stored, when the backend keeps no versions.
        backend.versioned(mode);
        configs.set(ex.bucket(), VersioningXml.DOCUMENT, VersioningXml.document(mode));
        return null;
      });
    }).map(v -> {
      ex.sendEmpty(200);
      return null;
    });
  }

  Future<Void> listVersions(S3Exchange ex) {
    QueryParams q = ex.query;
    VersionsQuery query = new VersionsQuery(q.getOrEmpty("prefix"), q.getOrEmpty("delimiter"),
        q.getOrEmpty("key-marker"), q.getOrEmpty("version-id-marker"), ListingHandlers.maxKeys(q, "max-keys"));
    boolean urlEncoding = ListingHandlers.urlEncoding(q);
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> backend.listVersions(bucket.id(), query)).map(page -> {
      ex.sendXml(200, ListVersionsXml.render(bucket.name(), query, urlEncoding, page, bucket.ownerAccountId()));
      return null;
    });
  }
}
