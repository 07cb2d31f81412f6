package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.BackendIo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.ReadOptions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection on three KV nodes with time moved by hand and 1 KiB chunks: what a client
 * can no longer see is deleted after its leeway and not before, and nothing it can see is.
 */
class KvObjectBackendGcTest {

  private static final int CHUNK = 1024;
  private static final ObjectStoreSettings SETTINGS =
      ObjectStoreSettings.DEFAULTS.withChunkBytes(CHUNK, 0).withPartSizeMin(2 * CHUNK);

  private final KvCluster cluster = new KvCluster(3);
  private final KvObjectBackend backend =
      new KvObjectBackend(RoundRobinKv.over(cluster.nodes.values()), cluster.time, new SplittableRandom(9), SETTINGS);
  private final BackendIo io = new BackendIo(() -> backend);

  @AfterEach
  void close() {
    cluster.close();
  }

  private int storedChunks() {
    int count = 0;
    String after = null;
    for (int pages = 0; pages < 100; pages++) {
      KeyPage page = cluster.first().listPage(KvLayout.CHUNKS, "", after, 1000, ReadOptions.DEFAULTS).join();
      count += page.keys().size();
      if (!page.truncated() || page.resumeAfter() == null) {
        return count;
      }
      after = page.resumeAfter();
    }
    throw new AssertionError("too many chunks");
  }

  private void advance(Duration duration) {
    cluster.time.advance(duration.plusSeconds(1));
  }

  @Test
  void anInterruptedUploadLeavesNothingVisibleAndItsChunksAreCollectedOnceAbandoned() {
    io.stream(io.randomBytes(3 * CHUNK + 5)); // never committed: the writer died mid-upload
    assertThat(storedChunks()).isEqualTo(3);
    assertThat(backend.head("bkt", "k")).isEmpty();
    assertThat(backend.isBucketEmpty("bkt")).isTrue();

    assertThat(backend.collectGarbage().blobsCollected()).as("still within the abandoned-write timeout").isZero();
    assertThat(storedChunks()).isEqualTo(3);

    advance(SETTINGS.abandonedWriteTimeout());
    GcReport report = backend.collectGarbage();
    assertThat(report.blobsCollected()).isEqualTo(1);
    assertThat(report.chunksDeleted()).isEqualTo(3);
    assertThat(storedChunks()).isZero();
  }

  @Test
  void anAbortedBlobIsCollectedAfterTheLeeway() {
    BlobWriter blob = io.stream(io.randomBytes(2 * CHUNK));
    blob.abort();
    assertThat(backend.collectGarbage().blobsCollected()).isZero();
    advance(SETTINGS.gcLeeway());
    assertThat(backend.collectGarbage().blobsCollected()).isEqualTo(1);
    assertThat(storedChunks()).isZero();
  }

  @Test
  void anOverwrittenVersionStaysReadableForTheLeewayThenIsCollected() {
    byte[] first = io.randomBytes(5 * CHUNK);
    byte[] second = io.randomBytes(2 * CHUNK + 1);
    io.put("k", first);
    try (ObjectReader before = backend.open("bkt", "k")) {
      io.put("k", second);
      assertThat(backend.collectGarbage().blobsCollected()).as("within the leeway").isZero();
      assertThat(BackendIo.readRange(before, 0, first.length - 1)).isEqualTo(first);
    }
    assertThat(storedChunks()).isEqualTo(5 + 3);

    advance(SETTINGS.gcLeeway());
    GcReport report = backend.collectGarbage();
    assertThat(report.blobsCollected()).isEqualTo(1);
    assertThat(report.chunksDeleted()).isEqualTo(5);
    assertThat(storedChunks()).isEqualTo(3);
    assertThat(io.readAll("bkt", "k")).isEqualTo(second);
    assertThat(backend.collectGarbage()).as("a second run finds nothing").isEqualTo(new GcReport(0, 0, 0, 0));

    backend.delete("bkt", "k");
    advance(SETTINGS.gcLeeway());
    assertThat(backend.collectGarbage().blobsCollected()).isEqualTo(1);
    assertThat(storedChunks()).isZero();
  }

  @Test
  void siblingManifestsFromConcurrentWritersResolveToTheNewestAndTheLoserIsCollected() {
    KvCalls kv = new KvCalls(cluster.node("n2"), SETTINGS.callTimeout());
    Manifests racing = new Manifests(kv, new GarbageCollector(kv, cluster.time, SETTINGS));
    // Both writers read "nothing there", then both publish: neither saw the other.
    Manifests.Current seenByBoth = racing.read("bkt", "k");
    byte[] older = io.randomBytes(3 * CHUNK);
    io.put("k", older);
    cluster.time.advance(Duration.ofMillis(5));
    byte[] newer = io.randomBytes(2 * CHUNK);
    KvBlobWriter blob = (KvBlobWriter) io.stream(newer);
    KvBlobWriter.Body body = blob.seal(true);
    racing.publish("bkt", "k", seenByBoth, new Manifest("k", newer.length,
        HexFormat.of().formatHex(MultipartRules.md5().digest(newer)), cluster.time.millis(), blob.blobId(),
        ObjectMetadata.empty(), Map.of(), 0, body.inline(), List.of(body.segment()), null, false));
    blob.committed();
    assertThat(cluster.node("n3").get(KvLayout.manifests("bkt"), "k", ReadOptions.DEFAULTS).join().siblings())
        .as("the store kept both").hasSize(2);

    assertThat(io.readAll("bkt", "k")).isEqualTo(newer);
    assertThat(cluster.node("n1").get(KvLayout.manifests("bkt"), "k", ReadOptions.DEFAULTS).join().siblings())
        .as("the read wrote the winner back").hasSize(1);
    assertThat(backend.list("bkt", new dev.canopy.storage.backend.ListQuery("", "", "", 10)).contents())
        .singleElement().satisfies(s -> assertThat(s.size()).isEqualTo(newer.length));

    advance(SETTINGS.gcLeeway());
    GcReport report = backend.collectGarbage();
    assertThat(report.blobsCollected()).isEqualTo(1);
    assertThat(report.chunksDeleted()).isEqualTo(3);
    assertThat(storedChunks()).isEqualTo(2);
    assertThat(io.readAll("bkt", "k")).isEqualTo(newer);
  }

  @Test
  void anAbandonedMultipartUploadExpiresAndItsPartsAreCollected() {
    UploadInfo upload = backend.createUpload("bkt", "mp", ObjectMetadata.empty());
    byte[] part = io.randomBytes(3 * CHUNK);
    backend.commitPart("bkt", "mp", upload.uploadId(), 1, io.stream(part), BackendIo.md5(part));
    advance(Duration.ofDays(1));
    assertThat(backend.collectGarbage().uploadsAborted()).as("younger than the expiry").isZero();

    advance(SETTINGS.uploadExpiry());
    assertThat(backend.collectGarbage().uploadsAborted()).isEqualTo(1);
    assertThat(backend.listUploads("bkt", "", "", "", 10).uploads()).isEmpty();
    assertThat(backend.isBucketEmpty("bkt")).isTrue();
    advance(SETTINGS.gcLeeway());
    assertThat(backend.collectGarbage().blobsCollected()).isEqualTo(1);
    assertThat(storedChunks()).isZero();
  }

  @Test
  void aCompletedUploadKeepsItsPartsThroughTheCollector() {
    UploadInfo upload = backend.createUpload("bkt", "mp", ObjectMetadata.empty());
    byte[] p1 = io.randomBytes(2 * CHUNK + 7);
    byte[] p2 = io.randomBytes(CHUNK + 1);
    byte[] unused = io.randomBytes(CHUNK);
    var part1 = backend.commitPart("bkt", "mp", upload.uploadId(), 1, io.stream(p1), BackendIo.md5(p1));
    var part2 = backend.commitPart("bkt", "mp", upload.uploadId(), 2, io.stream(p2), BackendIo.md5(p2));
    backend.commitPart("bkt", "mp", upload.uploadId(), 3, io.stream(unused), BackendIo.md5(unused));
    backend.completeUpload("bkt", "mp", upload.uploadId(), List.of(
        new dev.canopy.storage.backend.CompletedPart(1, part1.etag()), new dev.canopy.storage.backend.CompletedPart(2, part2.etag())));
    advance(SETTINGS.uploadExpiry());
    GcReport report = backend.collectGarbage();
    assertThat(report.blobsCollected()).as("only the part left out").isEqualTo(1);
    assertThat(report.uploadsAborted()).isZero();
    byte[] whole = new byte[p1.length + p2.length];
    System.arraycopy(p1, 0, whole, 0, p1.length);
    System.arraycopy(p2, 0, whole, p1.length, p2.length);
    assertThat(io.readAll("bkt", "mp")).isEqualTo(whole);
  }
}
