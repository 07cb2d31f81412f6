package dev.canopy.storage.local;

import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.PartsPage;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.UploadListing;
import dev.canopy.storage.backend.UploadsPage;
import dev.canopy.storage.backend.WriteCondition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Multipart uploads in the {@code uploads} family. Each part is a blob of its own; completing
 * turns the chosen parts' blobs into the object's segments (no data is copied) and frees the
 * parts not chosen. Upload lifecycle: created → parts committed (any order, replaceable) →
 * completed or aborted; both end states delete the upload's records in the same synced batch.
 */
final class RocksUploads {

  /** Stored upload. */
  record UploadRecord(String bucket, String key, String uploadId, ObjectMetadata metadata, long initiatedMs) {
    UploadInfo info() {
      return new UploadInfo(bucket, key, uploadId, metadata, Instant.ofEpochMilli(initiatedMs));
    }
  }

  /** Stored part. {@code md5} is hex. */
  record PartRecord(int partNumber, String blob, long size, String md5, long lastModifiedMs) {
    PartInfo info() {
      return new PartInfo(partNumber, size, HexFormat.of().parseHex(md5), Instant.ofEpochMilli(lastModifiedMs));
    }
  }

  private final LocalStore store;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final StripedLocks locks;
  private final int chunkSize;
  private final long partSizeMin;

  RocksUploads(LocalStore store, InstantSource clock, RandomGenerator random, StripedLocks locks, int chunkSize, long partSizeMin) {
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.locks = locks;
    this.chunkSize = chunkSize;
    this.partSizeMin = partSizeMin;
  }

  UploadInfo create(String bucket, String key, ObjectMetadata metadata) {
    byte[] id = new byte[16];
    synchronized (random) {
      random.nextBytes(id);
    }
    String uploadId = HexFormat.of().formatHex(id);
    UploadRecord upload = new UploadRecord(bucket, key, uploadId, metadata, clock.millis());
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(store.uploads(), ObjectKeys.upload(uploadId), Records.encode(upload));
      batch.put(store.uploads(), ObjectKeys.uploadIndex(bucket, key, uploadId), new byte[0]);
      store.write(batch, true);
    } catch (RocksDBException e) {
      throw new StoreException("create upload failed", e);
    }
    return upload.info();
  }

  PartInfo commitPart(String bucket, String key, String uploadId, int partNumber, RocksBlobWriter blob, byte[] md5) {
    MultipartRules.checkPartNumber(partNumber);
    try (StripedLocks.Held held = locks.lock(uploadLockName(uploadId)); WriteBatch batch = new WriteBatch()) {
      find(bucket, key, uploadId);
      blob.seal();
      PartRecord part = new PartRecord(
          partNumber, ChunkKeys.hex(blob.blobId()), blob.size(), HexFormat.of().formatHex(md5), clock.millis());
      byte[] partKey = ObjectKeys.part(uploadId, partNumber);
      byte[] old = store.get(store.uploads(), partKey);
      if (old != null) {
        RocksBlobWriter.deleteBlob(store, batch, ChunkKeys.unhex(Records.decode(old, PartRecord.class).blob()));
      }
      blob.commitInto(batch);
      batch.put(store.uploads(), partKey, Records.encode(part));
      store.write(batch, true);
      blob.committed();
      return part.info();
    } catch (RocksDBException e) {
      blob.abort();
      throw new StoreException("commit part failed", e);
    } catch (RuntimeException e) {
      blob.abort();
      throw e;
    }
  }

  ObjectInfo complete(
      String bucket, String key, String uploadId, List<CompletedPart> requested, WriteCondition condition,
      RocksObjectBackend objects) {
    try (StripedLocks.Held held = locks.lock(uploadLockName(uploadId), RocksObjectBackend.objectLockName(bucket, key));
        WriteBatch batch = new WriteBatch()) {
      UploadRecord upload = find(bucket, key, uploadId);
      condition.check(objects.currentEtag(bucket, key));
      Map<Integer, PartRecord> stored = parts(uploadId);
      Map<Integer, PartInfo> infos = new LinkedHashMap<>();
      stored.forEach((number, part) -> infos.put(number, part.info()));
      List<PartInfo> chosen = MultipartRules.select(requested, infos, partSizeMin);
      List<Manifest.Segment> segments = new ArrayList<>(chosen.size());
      long size = 0;
      for (PartInfo part : chosen) {
        PartRecord record = stored.remove(part.partNumber());
        segments.add(new Manifest.Segment(record.blob(), record.size()));
        size += record.size();
      }
      // Uploaded parts left out of the list are freed with the upload.
      for (PartRecord unused : stored.values()) {
        RocksBlobWriter.deleteBlob(store, batch, ChunkKeys.unhex(unused.blob()));
      }
      deleteUploadRecords(batch, upload);
      Manifest manifest = new Manifest(
          key, size, MultipartRules.multipartEtag(chosen), clock.millis(), upload.metadata(), Map.of(),
          chosen.size(), chunkSize, segments);
      objects.publish(batch, bucket, manifest);
      store.write(batch, true);
      return manifest.info();
    } catch (RocksDBException e) {
      throw new StoreException("complete upload failed", e);
    }
  }

  void abort(String bucket, String key, String uploadId) {
    try (StripedLocks.Held held = locks.lock(uploadLockName(uploadId)); WriteBatch batch = new WriteBatch()) {
      UploadRecord upload = find(bucket, key, uploadId);
      for (PartRecord part : parts(uploadId).values()) {
        RocksBlobWriter.deleteBlob(store, batch, ChunkKeys.unhex(part.blob()));
      }
      deleteUploadRecords(batch, upload);
      store.write(batch, true);
    } catch (RocksDBException e) {
      throw new StoreException("abort upload failed", e);
    }
  }

  PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
    UploadRecord upload = find(bucket, key, uploadId);
    if (maxParts == 0) {
      // Empty and complete, as ListObjects answers max-keys=0: a truncated empty page would give
      // a paginator the same marker forever.
      return new PartsPage(upload.info(), List.of(), false, 0);
    }
    List<PartInfo> page = new ArrayList<>();
    boolean truncated = false;
    for (PartRecord part : parts(uploadId).values()) {
      if (part.partNumber() <= partNumberMarker) {
        continue;
      }
      if (page.size() == maxParts) {
        truncated = true;
        break;
      }
      page.add(part.info());
    }
    int next = page.isEmpty() ? 0 : page.get(page.size() - 1).partNumber();
    return new PartsPage(upload.info(), page, truncated, next);
  }

  UploadsPage list(String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads) {
    byte[] bucketPrefix = ObjectKeys.uploadIndexPrefix(bucket);
    byte[] start = ("b" + bucket + '\0' + prefix).getBytes(StandardCharsets.UTF_8);
    try (RocksIterator it = store.db().newIterator(store.uploads())) {
      it.seek(start);
      // Each step consumes one index entry of the bucket; the record is read only if listed.
      java.util.Iterator<UploadListing.Entry> entries = new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          LocalStore.checkIterator(it);
          return it.isValid() && LocalStore.startsWith(it.key(), bucketPrefix);
        }

        @Override
        public UploadListing.Entry next() {
          String rest = new String(it.key(), bucketPrefix.length, it.key().length - bucketPrefix.length, StandardCharsets.UTF_8);
          it.next();
          int split = rest.lastIndexOf('\0');
          String uploadId = rest.substring(split + 1);
          return new UploadListing.Entry(rest.substring(0, split), uploadId, () ->
              java.util.Optional.ofNullable(store.get(store.uploads(), ObjectKeys.upload(uploadId)))
                  .map(record -> Records.decode(record, UploadRecord.class).info()));
        }
      };
      return UploadListing.page(entries, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
    }
  }

  private UploadRecord find(String bucket, String key, String uploadId) {
    if (uploadId == null || uploadId.isEmpty() || uploadId.indexOf('\0') >= 0) {
      throw StorageErrors.noSuchUpload();
    }
    byte[] bytes = store.get(store.uploads(), ObjectKeys.upload(uploadId));
    if (bytes == null) {
      throw StorageErrors.noSuchUpload();
    }
    UploadRecord upload = Records.decode(bytes, UploadRecord.class);
    // An upload id used with another bucket or key does not exist there.
    if (!upload.bucket().equals(bucket) || !upload.key().equals(key)) {
      throw StorageErrors.noSuchUpload();
    }
    return upload;
  }

  /** The upload's parts by part number, ascending. At most 10,000. */
  private Map<Integer, PartRecord> parts(String uploadId) {
    Map<Integer, PartRecord> parts = new LinkedHashMap<>();
    byte[] prefix = ObjectKeys.partPrefix(uploadId);
    try (RocksIterator it = store.db().newIterator(store.uploads())) {
      for (it.seek(prefix); it.isValid() && LocalStore.startsWith(it.key(), prefix); it.next()) {
        PartRecord part = Records.decode(it.value(), PartRecord.class);
        parts.put(part.partNumber(), part);
      }
      LocalStore.checkIterator(it);
    }
    return parts;
  }

  private void deleteUploadRecords(WriteBatch batch, UploadRecord upload) throws RocksDBException {
    for (Integer partNumber : parts(upload.uploadId()).keySet()) {
      batch.delete(store.uploads(), ObjectKeys.part(upload.uploadId(), partNumber));
    }
    batch.delete(store.uploads(), ObjectKeys.upload(upload.uploadId()));
    batch.delete(store.uploads(), ObjectKeys.uploadIndex(upload.bucket(), upload.key(), upload.uploadId()));
  }

  private static String uploadLockName(String uploadId) {
    return "u" + uploadId;
  }
}
