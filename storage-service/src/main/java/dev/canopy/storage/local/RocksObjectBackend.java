package dev.canopy.storage.local;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.DeleteOutcome;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.Listing;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.PartsPage;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.UploadsPage;
import dev.canopy.storage.backend.WriteCondition;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * {@link ObjectBackend} on a {@link LocalStore}: one node, no replication. Object bytes are
 * blobs of {@link #CHUNK_SIZE} chunks; a manifest per key names the blobs. Every change that a
 * client is told about is one synced {@link WriteBatch}: publish the new manifest, clear the
 * blob's in-progress mark, free the blobs it replaces, all or nothing.
 */
public final class RocksObjectBackend implements ObjectBackend {

  /** Bytes per stored chunk: the unit of writing, reading and memory per stream. */
  public static final int CHUNK_SIZE = 1024 * 1024;

  private final LocalStore store;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final int chunkSize;
  private final StripedLocks locks = new StripedLocks(64);
  private final RocksUploads uploads;

  /** @param random makes upload ids and blob ids (injected: a simulation replays from its seed) */
  public RocksObjectBackend(LocalStore store, InstantSource clock, RandomGenerator random) {
    this(store, clock, random, CHUNK_SIZE, dev.canopy.storage.backend.MultipartRules.PART_SIZE_MIN);
  }

  /** For tests: a seeded random, small chunks, a small minimum part size. */
  RocksObjectBackend(LocalStore store, InstantSource clock, RandomGenerator random, int chunkSize, long partSizeMin) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize " + chunkSize);
    }
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.chunkSize = chunkSize;
    this.uploads = new RocksUploads(store, clock, random, locks, chunkSize, partSizeMin);
  }

  @Override
  public BlobWriter newBlob() {
    byte[] blobId = new byte[ChunkKeys.BLOB_ID_LENGTH];
    synchronized (random) {
      random.nextBytes(blobId);
    }
    return new RocksBlobWriter(store, blobId, chunkSize);
  }

  @Override
  public ObjectInfo commitObject(
      String bucket, String key, BlobWriter blob, byte[] md5, ObjectMetadata metadata, Map<String, String> checksums,
      WriteCondition condition) {
    RocksBlobWriter writer = own(blob);
    writer.seal();
    Manifest manifest = new Manifest(
        key, writer.size(), HexFormat.of().formatHex(md5), clock.millis(), metadata, checksums, 0, chunkSize,
        List.of(new Manifest.Segment(ChunkKeys.hex(writer.blobId()), writer.size())));
    try (StripedLocks.Held held = locks.lock(objectLockName(bucket, key)); WriteBatch batch = new WriteBatch()) {
      condition.check(currentEtag(bucket, key));
      writer.commitInto(batch);
      publish(batch, bucket, manifest);
      store.write(batch, true);
      writer.committed();
    } catch (RocksDBException e) {
      writer.abort();
      throw new StoreException("commit failed", e);
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
    return manifest.info();
  }

  /** Adds "manifest replaces whatever was there" to a batch. Caller holds the object's lock. */
  void publish(WriteBatch batch, String bucket, Manifest manifest) throws RocksDBException {
    byte[] objectKey = ObjectKeys.object(bucket, manifest.key());
    freeOld(batch, objectKey);
    batch.put(store.objects(), objectKey, Records.encode(manifest));
  }

  private void freeOld(WriteBatch batch, byte[] objectKey) throws RocksDBException {
    byte[] old = store.get(store.objects(), objectKey);
    if (old != null) {
      for (Manifest.Segment segment : Records.decode(old, Manifest.class).segments()) {
        RocksBlobWriter.deleteBlob(store, batch, ChunkKeys.unhex(segment.blob()));
      }
    }
  }

  /** The ETag of the key's current version; read under the key's lock for a conditional write. */
  Optional<String> currentEtag(String bucket, String key) {
    return head(bucket, key).map(ObjectInfo::etag);
  }

  static String objectLockName(String bucket, String key) {
    return "o" + bucket + '\0' + key;
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    byte[] bytes = store.get(store.objects(), ObjectKeys.object(bucket, key));
    return bytes == null ? Optional.empty() : Optional.of(Records.decode(bytes, Manifest.class).info());
  }

  @Override
  public ObjectReader open(String bucket, String key) {
    return RocksObjectReader.open(store, ObjectKeys.object(bucket, key));
  }

  @Override
  public boolean delete(String bucket, String key) {
    return deleteKeys(bucket, List.of(key)) > 0;
  }

  @Override
  public boolean deleteIf(String bucket, String key, Predicate<ObjectInfo> stillDue) {
    byte[] objectKey = ObjectKeys.object(bucket, key);
    try (StripedLocks.Held held = locks.lock(objectLockName(bucket, key)); WriteBatch batch = new WriteBatch()) {
      // Judged under the key's lock: no write can land between the judgement and the delete.
      Optional<ObjectInfo> current = head(bucket, key);
      if (current.isEmpty() || !stillDue.test(current.get())) {
        return false;
      }
      freeOld(batch, objectKey);
      batch.delete(store.objects(), objectKey);
      store.write(batch, true);
      return true;
    } catch (RocksDBException e) {
      throw new StoreException("delete failed", e);
    }
  }

  @Override
  public List<DeleteOutcome> deleteAll(String bucket, List<String> keys) {
    deleteKeys(bucket, keys);
    // Deleting is idempotent, so every key succeeds once the batch is durable.
    return keys.stream().map(key -> new DeleteOutcome(key, null)).toList();
  }

  /** Deletes the keys that exist in one synced batch (one fsync for a 1000-key request). */
  private int deleteKeys(String bucket, List<String> keys) {
    String[] names = keys.stream().map(k -> objectLockName(bucket, k)).toArray(String[]::new);
    int deleted = 0;
    try (StripedLocks.Held held = locks.lock(names); WriteBatch batch = new WriteBatch()) {
      for (String key : new java.util.LinkedHashSet<>(keys)) {
        byte[] objectKey = ObjectKeys.object(bucket, key);
        if (store.get(store.objects(), objectKey) != null) {
          freeOld(batch, objectKey);
          batch.delete(store.objects(), objectKey);
          deleted++;
        }
      }
      if (deleted > 0) {
        store.write(batch, true);
      }
    } catch (RocksDBException e) {
      throw new StoreException("delete failed", e);
    }
    return deleted;
  }

  @Override
  public ObjectInfo copy(
      String sourceBucket, String sourceKey, String bucket, String key, UnaryOperator<ObjectMetadata> metadataOf,
      Consumer<ObjectInfo> sourceCheck, WriteCondition condition) {
    return dev.canopy.storage.backend.ObjectCopies.copy(
        this, chunkSize, sourceBucket, sourceKey, bucket, key, metadataOf, sourceCheck, condition);
  }

  @Override
  public ObjectInfo updateMetadata(String bucket, String key, UnaryOperator<ObjectMetadata> change) {
    byte[] objectKey = ObjectKeys.object(bucket, key);
    try (StripedLocks.Held held = locks.lock(objectLockName(bucket, key)); WriteBatch batch = new WriteBatch()) {
      byte[] bytes = store.get(store.objects(), objectKey);
      if (bytes == null) {
        throw S3Errors.noSuchKey();
      }
      Manifest old = Records.decode(bytes, Manifest.class);
      Manifest next = new Manifest(old.key(), old.size(), old.etag(), old.lastModifiedMs(),
          change.apply(old.metadata()), old.checksums(), old.partCount(), old.chunkSize(), old.segments());
      // The same blobs: nothing to free, unlike publish().
      batch.put(store.objects(), objectKey, Records.encode(next));
      store.write(batch, true);
      return next.info();
    } catch (RocksDBException e) {
      throw new StoreException("metadata update failed", e);
    }
  }

  @Override
  public Map<String, String> bucketConfig(String bucket) {
    Map<String, String> config = new java.util.TreeMap<>();
    store.loadAll(configNamespace(bucket)).forEach((name, document) ->
        config.put(name, new String(document, java.nio.charset.StandardCharsets.UTF_8)));
    return config;
  }

  @Override
  public synchronized void setBucketConfig(String bucket, String name, String document) {
    if (document == null) {
      store.delete(configNamespace(bucket), name);
      if (store.loadAll(configNamespace(bucket)).isEmpty()) {
        store.delete(CONFIGURED_BUCKETS, bucket);
      }
    } else {
      // Listed before the document is stored: a bucket with a document is always found.
      store.put(CONFIGURED_BUCKETS, bucket, new byte[0]);
      store.put(configNamespace(bucket), name, Records.utf8(document));
    }
  }

  @Override
  public List<String> configuredBuckets(String after, int limit) {
    return store.loadAll(CONFIGURED_BUCKETS).keySet().stream()
        .filter(bucket -> bucket.compareTo(after) > 0).sorted().limit(limit).toList();
  }

  /** The ids of buckets with any configuration document, one record each. */
  private static final String CONFIGURED_BUCKETS = "bucket-configured";

  private static String configNamespace(String bucket) {
    return "bucket-config/" + bucket;
  }

  @Override
  public boolean isBucketEmpty(String bucket) {
    return !hasPrefix(store.objects(), ObjectKeys.bucketPrefix(bucket))
        && !hasPrefix(store.uploads(), ObjectKeys.uploadIndexPrefix(bucket));
  }

  private boolean hasPrefix(org.rocksdb.ColumnFamilyHandle family, byte[] prefix) {
    try (RocksIterator it = store.db().newIterator(family)) {
      it.seek(prefix);
      boolean found = it.isValid() && LocalStore.startsWith(it.key(), prefix);
      LocalStore.checkIterator(it);
      return found;
    }
  }

  /** A stored object's address: its bucket (the backend's namespace) and key. */
  public record StoredObject(String bucket, String key) {}

  /**
   * Up to {@code limit} objects of every bucket, in storage order: how objects kept here are found
   * to be moved elsewhere (the key of an object is everything after its bucket's NUL).
   */
  public List<StoredObject> firstObjects(int limit) {
    List<StoredObject> found = new java.util.ArrayList<>();
    try (RocksIterator it = store.db().newIterator(store.objects())) {
      for (it.seekToFirst(); it.isValid() && found.size() < limit; it.next()) {
        String name = new String(it.key(), java.nio.charset.StandardCharsets.UTF_8);
        int nul = name.indexOf('\0');
        found.add(new StoredObject(name.substring(0, nul), name.substring(nul + 1)));
      }
      LocalStore.checkIterator(it);
    }
    return found;
  }

  @Override
  public ListPage list(String bucket, ListQuery query) {
    try (RocksKeyCursor cursor = new RocksKeyCursor(store, bucket)) {
      return Listing.page(cursor, query);
    }
  }

  // ---- multipart: see RocksUploads ---------------------------------------------------------

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
    return uploads.complete(bucket, key, uploadId, parts, condition, this);
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

  private RocksBlobWriter own(BlobWriter blob) {
    if (!(blob instanceof RocksBlobWriter writer)) {
      throw new IllegalArgumentException("blob from another backend: " + blob);
    }
    return writer;
  }
}
