package dev.canopy.storage.objects;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.DeleteOutcome;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.Listing;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectCopies;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.PartsPage;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.UploadsPage;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.VersionDeletion;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.backend.VersionsPage;
import dev.canopy.storage.backend.VersionsQuery;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.WriteCondition;
import dev.canopy.storage.kv.KvService;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * {@link ObjectBackend} on the replicated store ({@link KvService}), as Riak CS keeps S3 objects
 * on Riak: every storage node serves the same objects, and an object acknowledged is on a quorum
 * of disks. Bytes are immutable chunks of randomly named blobs (small objects inline in their
 * manifest); an object exists exactly when its manifest is written, so an interrupted upload
 * leaves nothing visible and an overwrite is atomic for readers. Replaced blobs stay readable for
 * the GC leeway, then {@link #collectGarbage()} deletes them.
 *
 * <p>Every method blocks on the store, each call bounded by the settings' call timeout; a store
 * that cannot answer is a {@link dev.canopy.storage.local.StoreException} (503). Thread safe: the
 * only state is in the store.
 */
public final class KvObjectBackend implements ObjectBackend {

  private static final int ID_BYTES = 16;

  private final KvCalls kv;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final ObjectStoreSettings settings;
  private final GarbageCollector gc;
  private final Manifests manifests;
  private final KvUploads uploads;
  private final KvBucketConfigs configs;
  private final KvVersions versions;
  /** How this view's writes treat versions ({@link #versioned}); the shared parts above are the same. */
  private final Versioning mode;

  /**
   * @param clock the wall clock of modification times and GC due times
   * @param random names blobs, versions and uploads (injected: a test replays from its seed)
   */
  public KvObjectBackend(KvService store, InstantSource clock, RandomGenerator random, ObjectStoreSettings settings) {
    this.kv = new KvCalls(store, settings.callTimeout());
    this.clock = clock;
    this.random = random;
    this.settings = settings;
    this.gc = new GarbageCollector(kv, clock, settings);
    this.manifests = new Manifests(kv, gc);
    this.uploads = new KvUploads(kv, manifests, gc, clock, this::newId, settings.partSizeMin());
    this.configs = new KvBucketConfigs(kv, manifests, clock);
    this.versions = new KvVersions(kv, manifests, gc, clock, this::newId);
    this.mode = Versioning.UNVERSIONED;
    gc.onExpiredUpload(uploads::abortExpired);
  }

  private KvObjectBackend(KvObjectBackend shared, Versioning mode) {
    this.kv = shared.kv;
    this.clock = shared.clock;
    this.random = shared.random;
    this.settings = shared.settings;
    this.gc = shared.gc;
    this.manifests = shared.manifests;
    this.uploads = shared.uploads;
    this.configs = shared.configs;
    this.versions = shared.versions;
    this.mode = mode;
  }

  @Override
  public ObjectBackend versioned(Versioning mode) {
    return mode == this.mode ? this : new KvObjectBackend(this, mode);
  }

  /**
   * Deletes the chunks of blobs whose leeway is over and no one names, and aborts expired
   * multipart uploads. Call it periodically on any node (or several: it is idempotent).
   */
  public GcReport collectGarbage() {
    manifests.allowSiblings(KvLayout.GC);
    return gc.collect();
  }

  @Override
  public BlobWriter newBlob() {
    manifests.allowSiblings(KvLayout.GC);
    return new KvBlobWriter(kv, gc, clock, settings, newId());
  }

  private String newId() {
    byte[] id = new byte[ID_BYTES];
    synchronized (random) {
      random.nextBytes(id);
    }
    return HexFormat.of().formatHex(id);
  }

  @Override
  public ObjectInfo commitObject(
      String bucket, String key, BlobWriter blob, byte[] md5, ObjectMetadata metadata, Map<String, String> checksums,
      WriteCondition condition) {
    KvBlobWriter writer = own(blob);
    try {
      KvBlobWriter.Body body = writer.seal(true);
      Manifests.Current current = manifests.read(bucket, key);
      condition.check(current.etag());
      List<Manifest.Segment> segments = body.segment() == null ? List.of() : List.of(body.segment());
      Manifest manifest = new Manifest(
          key, writer.size(), HexFormat.of().formatHex(md5), clock.millis(), writer.blobId(), metadata, checksums, 0,
          body.inline(), segments, null, false);
      writer.claim(KvLayout.manifests(bucket), key, false);
      Manifest stored = versions.publish(bucket, key, current, manifest, mode);
      writer.committed();
      return stored.info();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    return Optional.ofNullable(manifests.read(bucket, key).winner()).map(Manifest::info);
  }

  @Override
  public ObjectReader open(String bucket, String key) {
    Manifest manifest = manifests.read(bucket, key).winner();
    if (manifest == null) {
      throw S3Errors.noSuchKey();
    }
    return new KvObjectReader(kv, manifest);
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key, String versionId) {
    return versions.find(bucket, key, versionId).map(Manifest::info);
  }

  @Override
  public ObjectReader open(String bucket, String key, String versionId) {
    return new KvObjectReader(kv, versions.find(bucket, key, versionId).orElseThrow(StorageErrors::noSuchVersion));
  }

  @Override
  public Optional<ObjectVersion> latestVersion(String bucket, String key) {
    return versions.latest(bucket, key).map(m -> m.asVersion(true));
  }

  @Override
  public VersionDeletion deleteVersion(String bucket, String key, String versionId) {
    return versionId == null ? versions.delete(bucket, key, mode) : versions.deleteVersion(bucket, key, versionId);
  }

  @Override
  public VersionsPage listVersions(String bucket, VersionsQuery query) {
    return new KvVersionListing(kv, bucket, query).page();
  }

  @Override
  public boolean delete(String bucket, String key) {
    return manifests.remove(bucket, key);
  }

  @Override
  public boolean deleteIf(String bucket, String key, Predicate<ObjectInfo> stillDue) {
    return versions.deleteIf(bucket, key, mode, manifest -> stillDue.test(manifest.info()));
  }

  @Override
  public List<DeleteOutcome> deleteAll(String bucket, List<String> keys) {
    // Deleting is idempotent: a key succeeds once its delete returned. A store outage fails the
    // whole request (503), and the client retries it.
    for (String key : new LinkedHashSet<>(keys)) {
      manifests.remove(bucket, key);
    }
    return keys.stream().map(key -> new DeleteOutcome(key, null)).toList();
  }

  @Override
  public ObjectInfo copy(
      String sourceBucket, String sourceKey, String bucket, String key, UnaryOperator<ObjectMetadata> metadataOf,
      Consumer<ObjectInfo> sourceCheck, WriteCondition condition) {
    return copy(sourceBucket, sourceKey, null, bucket, key, metadataOf, sourceCheck, condition);
  }

  @Override
  public ObjectInfo copy(
      String sourceBucket, String sourceKey, String sourceVersionId, String bucket, String key,
      UnaryOperator<ObjectMetadata> metadataOf, Consumer<ObjectInfo> sourceCheck, WriteCondition condition) {
    return ObjectCopies.copy(this, settings.chunkBytes(), sourceBucket, sourceKey, sourceVersionId, bucket, key,
        metadataOf, sourceCheck, condition);
  }

  @Override
  public ObjectInfo updateMetadata(String bucket, String key, UnaryOperator<ObjectMetadata> change) {
    Manifests.Current current = manifests.read(bucket, key);
    Manifest old = current.winner();
    if (old == null) {
      throw S3Errors.noSuchKey();
    }
    // A new version id, the same bytes and modification time: two racing rewrites resolve to one
    // on every node, and an overwrite made later still wins by its time.
    Manifest next = new Manifest(old.key(), old.size(), old.etag(), old.lastModifiedMs(), newId(),
        change.apply(old.metadata()), old.checksums(), old.partCount(), old.inline(), old.segments(),
        old.versionId(), false);
    if (next.versioned()) {
      versions.rewrite(bucket, next); // the version's own entry first, as every versioned write
    }
    manifests.publish(bucket, key, current, next);
    return next.info();
  }

  @Override
  public ObjectInfo updateMetadata(String bucket, String key, String versionId, UnaryOperator<ObjectMetadata> change) {
    if (versionId == null) {
      return updateMetadata(bucket, key, change);
    }
    Manifest version = versions.find(bucket, key, versionId).orElseThrow(StorageErrors::noSuchVersion);
    Manifest current = manifests.read(bucket, key).winner();
    if (current != null && current.shownVersionId().equals(versionId)) {
      return updateMetadata(bucket, key, change); // the current version: both of its copies change
    }
    Manifest next = version.withMetadata(change.apply(version.metadata()));
    versions.rewrite(bucket, next);
    return next.info();
  }

  @Override
  public Map<String, String> bucketConfig(String bucket) {
    return configs.read(bucket);
  }

  @Override
  public void setBucketConfig(String bucket, String name, String document) {
    configs.set(bucket, name, document);
  }

  @Override
  public List<String> configuredBuckets(String after, int limit) {
    return kv.listPage(KvLayout.BUCKET_CONFIGS, "", after.isEmpty() ? null : after, limit).keys().stream()
        .map(dev.canopy.storage.kv.KeyPage.ListedKey::key).toList();
  }

  @Override
  public boolean isBucketEmpty(String bucket) {
    return kv.listPage(KvLayout.manifests(bucket), "", null, 1).keys().isEmpty()
        && kv.listPage(KvLayout.uploads(bucket), "", null, 1).keys().isEmpty()
        && !versions.any(bucket);
  }

  @Override
  public ListPage list(String bucket, ListQuery query) {
    // The listing's items plus its look-ahead and the marker it may skip, in one store page.
    int pageKeys = Math.max(1, query.maxKeys() + 2);
    return Listing.page(new KvKeyCursor(kv, bucket, query.prefix(), pageKeys), query);
  }

  // ---- multipart: see KvUploads ----

  @Override
  public UploadInfo createUpload(String bucket, String key, ObjectMetadata metadata) {
    return uploads.create(bucket, key, metadata);
  }

  @Override
  public PartInfo commitPart(String bucket, String key, String uploadId, int partNumber, BlobWriter blob, byte[] md5) {
    return uploads.commitPart(bucket, key, uploadId, partNumber, own(blob), md5);
  }

  @Override
  public ObjectInfo completeUpload(
      String bucket, String key, String uploadId, List<CompletedPart> parts, WriteCondition condition) {
    return uploads.complete(bucket, key, uploadId, parts, condition, (ns, k, seen, manifest) ->
        versions.publish(ns, k, seen, manifest, mode));
  }

  @Override
  public void abortUpload(String bucket, String key, String uploadId) {
    uploads.abort(bucket, key, uploadId);
  }

  @Override
  public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
    return uploads.listParts(bucket, key, uploadId, partNumberMarker, maxParts);
  }

  @Override
  public UploadsPage listUploads(
      String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads) {
    return uploads.list(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
  }

  private static KvBlobWriter own(BlobWriter blob) {
    if (!(blob instanceof KvBlobWriter writer)) {
      throw new IllegalArgumentException("blob from another backend: " + blob);
    }
    return writer;
  }
}
