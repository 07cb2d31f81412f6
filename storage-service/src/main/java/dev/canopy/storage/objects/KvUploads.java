package dev.canopy.storage.objects;

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
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.local.Records;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Multipart uploads on the replicated store. An upload is a record in its namespace's uploads
 * bucket (key {@code <object key> NUL <upload id>}, so they list in S3's order) plus an expiry
 * record for the collector; each part is a blob with a record in the parts bucket. Completing
 * publishes one manifest whose segments are the chosen parts' blobs (no data is copied) and then
 * drops the records; parts left out are scheduled for collection. Lifecycle: created → parts
 * committed (any order, replaceable) → completed, aborted, or expired by the collector.
 *
 * <p>A crash in the middle of a completion or an abort leaves records that the upload's expiry
 * cleans up; blobs a completed manifest names survive that, since the collector checks the
 * manifest before deleting a part's blob.
 */
final class KvUploads {

  private static final int PAGE_KEYS = 1000;

  private final KvCalls kv;
  private final Manifests manifests;
  private final GarbageCollector gc;
  private final InstantSource clock;
  private final Supplier<String> ids;
  private final long partSizeMin;

  KvUploads(KvCalls kv, Manifests manifests, GarbageCollector gc, InstantSource clock, Supplier<String> ids, long partSizeMin) {
    this.kv = kv;
    this.manifests = manifests;
    this.gc = gc;
    this.clock = clock;
    this.ids = ids;
    this.partSizeMin = partSizeMin;
  }

  private record Found(UploadRecord upload, byte[] context) {}

  UploadInfo create(String namespace, String key, ObjectMetadata metadata) {
    String uploadId = ids.get();
    UploadRecord upload = new UploadRecord(namespace, key, uploadId, metadata, clock.millis());
    // The expiry first: an upload a crash leaves half created is still found and cleaned up.
    gc.expireUpload(namespace, key, uploadId, upload.initiatedMs());
    kv.put(KvLayout.uploads(namespace), KvLayout.uploadKey(key, uploadId), null, Records.encode(upload));
    return upload.info();
  }

  PartInfo commitPart(String namespace, String key, String uploadId, int partNumber, KvBlobWriter blob, byte[] md5) {
    try {
      MultipartRules.checkPartNumber(partNumber);
      find(namespace, key, uploadId);
      KvBlobWriter.Body body = blob.seal(false);
      String partKey = KvLayout.part(uploadId, partNumber);
      FetchResult old = kv.get(KvLayout.PARTS, partKey);
      PartRecord part = new PartRecord(partNumber, body.segment(), HexFormat.of().formatHex(md5), clock.millis());
      blob.claim(KvLayout.PARTS, partKey, true);
      for (PartRecord replaced : parts(old)) {
        gc.schedule(replaced.segment(), KvLayout.PARTS, partKey, true);
      }
      kv.put(KvLayout.PARTS, partKey, old.context(), Records.encode(part));
      blob.committed();
      if (findOptional(namespace, key, uploadId).isEmpty()) {
        // Completed or aborted while this part was stored: no one will read the part record.
        gc.schedule(part.segment(), KvLayout.manifests(namespace), key, false);
        kv.delete(KvLayout.PARTS, partKey, null);
        throw StorageErrors.noSuchUpload();
      }
      return part.info();
    } catch (RuntimeException e) {
      blob.abort();
      throw e;
    }
  }

  /** Publishes a completed upload's manifest as the key's version; returns it as stored. */
  interface Publisher {
    Manifest publish(String namespace, String key, Manifests.Current seen, Manifest manifest);
  }

  ObjectInfo complete(
      String namespace, String key, String uploadId, List<CompletedPart> requested, WriteCondition condition,
      Publisher publisher) {
    Found found = find(namespace, key, uploadId);
    Manifests.Current current = manifests.read(namespace, key);
    condition.check(current.etag());
    Map<Integer, PartRecord> stored = allParts(uploadId);
    Map<Integer, PartInfo> infos = new LinkedHashMap<>();
    stored.forEach((number, part) -> infos.put(number, part.info()));
    List<PartInfo> chosen = MultipartRules.select(requested, infos, partSizeMin);
    List<Manifest.Segment> segments = new ArrayList<>(chosen.size());
    long size = 0;
    for (PartInfo part : chosen) {
      Manifest.Segment segment = stored.remove(part.partNumber()).segment();
      segments.add(segment);
      size += segment.length();
    }
    Manifest manifest = new Manifest(
        key, size, MultipartRules.multipartEtag(chosen), clock.millis(), uploadId, found.upload().metadata(), Map.of(),
        chosen.size(), null, segments, null, false);
    Manifest published = publisher.publish(namespace, key, current, manifest);
    // Parts left out of the list go with the upload.
    for (PartRecord unused : stored.values()) {
      gc.schedule(unused.segment(), KvLayout.manifests(namespace), key, false);
    }
    dropRecords(found, chosen.stream().map(PartInfo::partNumber).toList(), stored.keySet());
    return published.info();
  }

  void abort(String namespace, String key, String uploadId) {
    Found found = find(namespace, key, uploadId);
    Map<Integer, PartRecord> parts = allParts(uploadId);
    for (PartRecord part : parts.values()) {
      // Owned by the key's manifest: if a completion raced this abort and won, its blobs stay.
      gc.schedule(part.segment(), KvLayout.manifests(namespace), key, false);
    }
    dropRecords(found, List.of(), parts.keySet());
  }

  /** The collector's side: an upload past its expiry is aborted if it still exists. */
  boolean abortExpired(String namespace, String key, String uploadId) {
    if (findOptional(namespace, key, uploadId).isEmpty()) {
      return false;
    }
    abort(namespace, key, uploadId);
    return true;
  }

  PartsPage listParts(String namespace, String key, String uploadId, int partNumberMarker, int maxParts) {
    UploadRecord upload = find(namespace, key, uploadId).upload();
    if (maxParts == 0) {
      // Empty and complete, as ListObjects answers max-keys=0.
      return new PartsPage(upload.info(), List.of(), false, 0);
    }
    String after = partNumberMarker > 0 ? KvLayout.part(uploadId, Math.min(partNumberMarker, MultipartRules.PART_NUMBER_MAX)) : null;
    // One more than asked: whether the page is truncated is then known, not guessed.
    KeyPage page = kv.listPage(KvLayout.PARTS, KvLayout.partPrefix(uploadId), after, maxParts + 1);
    List<PartInfo> parts = new ArrayList<>();
    for (KeyPage.ListedKey listed : page.keys()) {
      parts(listed.object()).stream().findFirst().ifPresent(p -> parts.add(p.info()));
    }
    boolean truncated = parts.size() > maxParts;
    List<PartInfo> shown = truncated ? parts.subList(0, maxParts) : parts;
    int next = shown.isEmpty() ? 0 : shown.get(shown.size() - 1).partNumber();
    return new PartsPage(upload.info(), List.copyOf(shown), truncated, next);
  }

  UploadsPage list(String namespace, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads) {
    String start = keyMarker.isEmpty() ? null : KvLayout.uploadKey(keyMarker, uploadIdMarker);
    return UploadListing.page(new Entries(namespace, prefix, start), prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
  }

  /** The namespace's uploads in order, a store page at a time. */
  private final class Entries implements Iterator<UploadListing.Entry> {
    private final String bucket;
    private final String prefix;
    private List<KeyPage.ListedKey> page = List.of();
    private int index;
    private boolean more = true;
    private String after;

    Entries(String namespace, String prefix, String startAfter) {
      this.bucket = KvLayout.uploads(namespace);
      this.prefix = prefix;
      this.after = startAfter;
    }

    @Override
    public boolean hasNext() {
      while (index == page.size() && more) {
        KeyPage fetched = kv.listPage(bucket, prefix, after, PAGE_KEYS);
        page = fetched.keys();
        index = 0;
        more = fetched.truncated() && fetched.resumeAfter() != null;
        after = fetched.resumeAfter();
      }
      return index < page.size();
    }

    @Override
    public UploadListing.Entry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      KeyPage.ListedKey listed = page.get(index++);
      int split = listed.key().lastIndexOf(KvLayout.UPLOAD_KEY_SEPARATOR);
      Optional<UploadInfo> upload = listed.object().siblings().stream().filter(c -> !c.deleted()).findFirst()
          .map(c -> Records.decode(c.value(), UploadRecord.class).info());
      return new UploadListing.Entry(listed.key().substring(0, split), listed.key().substring(split + 1), () -> upload);
    }
  }

  private Found find(String namespace, String key, String uploadId) {
    return findOptional(namespace, key, uploadId).orElseThrow(StorageErrors::noSuchUpload);
  }

  private Optional<Found> findOptional(String namespace, String key, String uploadId) {
    if (uploadId == null || !uploadId.matches("[0-9a-f]{32}")) {
      return Optional.empty();
    }
    FetchResult result = kv.get(KvLayout.uploads(namespace), KvLayout.uploadKey(key, uploadId));
    return result.siblings().stream().filter(c -> !c.deleted()).findFirst()
        .map(c -> new Found(Records.decode(c.value(), UploadRecord.class), result.context()));
  }

  /** The upload's parts by number, ascending; at most 10,000, a store page at a time. */
  private Map<Integer, PartRecord> allParts(String uploadId) {
    Map<Integer, PartRecord> parts = new LinkedHashMap<>();
    String after = null;
    for (int pages = 0; pages <= MultipartRules.PART_NUMBER_MAX / PAGE_KEYS + 1; pages++) {
      KeyPage page = kv.listPage(KvLayout.PARTS, KvLayout.partPrefix(uploadId), after, PAGE_KEYS);
      for (KeyPage.ListedKey listed : page.keys()) {
        parts(listed.object()).stream().findFirst().ifPresent(p -> parts.put(p.partNumber(), p));
      }
      if (!page.truncated() || page.resumeAfter() == null) {
        break;
      }
      after = page.resumeAfter();
    }
    return parts;
  }

  private static List<PartRecord> parts(FetchResult result) {
    return result.siblings().stream().filter(c -> !c.deleted())
        .map(c -> Records.decode(c.value(), PartRecord.class)).toList();
  }

  private void dropRecords(Found found, List<Integer> chosen, Iterable<Integer> others) {
    String uploadId = found.upload().uploadId();
    for (int number : chosen) {
      kv.delete(KvLayout.PARTS, KvLayout.part(uploadId, number), null);
    }
    for (int number : others) {
      kv.delete(KvLayout.PARTS, KvLayout.part(uploadId, number), null);
    }
    kv.delete(KvLayout.uploads(found.upload().namespace()), KvLayout.uploadKey(found.upload().key(), uploadId), found.context());
    gc.forgetUpload(uploadId);
  }
}
