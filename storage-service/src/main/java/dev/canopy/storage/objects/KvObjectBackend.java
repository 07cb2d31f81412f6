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
    gc.onExpiredUpload(uploads::abortExpired);
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
          body.inline(), segments);
      writer.claim(KvLayout.manifests(bucket), key, false);
      manifests.publish(bucket, key, current, manifest);
      writer.committed();
      return manifest.info();
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
  public boolean delete(String bucket, String key) {
    return manifests.remove(bucket, key);
  }

  @Override
  public boolean deleteIf(String bucket, String key, Predicate<ObjectInfo> stillDue) {
    return manifests.removeIf(bucket, key, manifest -> stillDue.test(manifest.info()));
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
    return ObjectCopies.copy(
        this, settings.chunkBytes(), sourceBucket, sourceKey, bucket, key, metadataOf, sourceCheck, condition);
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
        change.apply(old.metadata()), old.checksums(), old.partCount(), old.inline(), old.segments());
    manifests.publish(bucket, key, current, next);
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
        && kv.listPage(KvLayout.uploads(bucket), "", null, 1).keys().isEmpty();
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
    return uploads.complete(bucket, key, uploadId, parts, condition);
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
