package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.UploadInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded simulation of every way a blob is born and dies: puts and overwrites, deletes, copies,
 * parts uploaded and replaced, completions that choose some parts (or fail), aborts, blobs
 * abandoned mid-write, and store restarts. After every step the store must hold exactly the chunks
 * of the live objects and parts (nothing leaked, nothing freed too early), no blob may stay marked
 * in progress, and the objects read back as the model says. A failing seed replays exactly.
 */
class BlobLifecycleSimulationTest {

  private static final int CHUNK = 16;
  private static final long PART_MIN = 32;
  private static final int STEPS = 250;
  private static final String BUCKET = "sim";
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-08-09T10:11:12Z"));

  @TempDir Path dir;
  private LocalStore store;
  private RocksObjectBackend backend;
  private Random random;
  /** What the last step did, for the failure message. */
  private String lastStep = "";

  private final Map<String, byte[]> objects = new TreeMap<>();
  /** Chunks each object holds: a completed upload keeps one blob per part, so not chunksOf(bytes). */
  private final Map<String, Integer> objectChunks = new HashMap<>();
  /** Upload id → its key and its parts (number → bytes). */
  private final Map<String, String> uploadKeys = new HashMap<>();
  private final Map<String, TreeMap<Integer, byte[]>> uploadParts = new HashMap<>();
  private final Map<String, Map<Integer, String>> partEtags = new HashMap<>();

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private void reopen() {
    if (store != null) {
      store.close();
    }
    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, CLOCK, random, CHUNK, PART_MIN);
  }

  private byte[] bytes(int max) {
    byte[] data = new byte[random.nextInt(max + 1)];
    random.nextBytes(data);
    return data;
  }

  private BlobWriter write(byte[] data) {
    BlobWriter blob = backend.newBlob();
    int offset = 0;
    while (offset < data.length) {
      int n = Math.min(data.length - offset, 1 + random.nextInt(40));
      blob.write(ByteBuffer.wrap(data, offset, n));
      offset += n;
    }
    return blob;
  }

  private static int chunksOf(byte[] data) {
    return (data.length + CHUNK - 1) / CHUNK;
  }

  private String pick(List<String> from) {
    return from.get(random.nextInt(from.size()));
  }

  private String someKey() {
    return "k" + random.nextInt(6);
  }

  private void step(int n) {
    int choice = random.nextInt(100);
    List<String> uploads = new ArrayList<>(uploadKeys.keySet());
    if (choice < 25) {
      String key = someKey();
      byte[] data = bytes(70);
      lastStep = "put " + key + " (" + data.length + " bytes)";
      backend.commitObject(BUCKET, key, write(data), md5(data), ObjectMetadata.empty(), Map.of());
      objects.put(key, data);
      objectChunks.put(key, chunksOf(data));
    } else if (choice < 35) {
      String key = someKey();
      lastStep = "delete " + key;
      assertThat(backend.delete(BUCKET, key)).as("step %d delete %s", n, key).isEqualTo(objects.remove(key) != null);
      objectChunks.remove(key);
    } else if (choice < 42 && !objects.isEmpty()) {
      String source = pick(new ArrayList<>(objects.keySet()));
      String target = someKey();
      lastStep = "copy " + source + " to " + target;
      backend.copy(BUCKET, source, BUCKET, target, Optional.empty());
      // A copy is written as one new blob.
      objects.put(target, objects.get(source));
      objectChunks.put(target, chunksOf(objects.get(source)));
    } else if (choice < 50) {
      UploadInfo upload = backend.createUpload(BUCKET, someKey(), ObjectMetadata.empty());
      lastStep = "create upload " + upload.uploadId() + " for " + upload.key();
      uploadKeys.put(upload.uploadId(), upload.key());
      uploadParts.put(upload.uploadId(), new TreeMap<>());
      partEtags.put(upload.uploadId(), new HashMap<>());
    } else if (choice < 72 && !uploads.isEmpty()) {
      String id = pick(uploads);
      int number = 1 + random.nextInt(4);
      byte[] data = bytes(60);
      lastStep = "part " + number + " of " + id + " (" + data.length + " bytes)";
      PartInfo part = backend.commitPart(BUCKET, uploadKeys.get(id), id, number, write(data), md5(data));
      uploadParts.get(id).put(number, data);
      partEtags.get(id).put(number, part.etag());
    } else if (choice < 80 && !uploads.isEmpty()) {
      String id = pick(uploads);
      lastStep = "abort " + id;
      backend.abortUpload(BUCKET, uploadKeys.get(id), id);
      forget(id);
    } else if (choice < 92 && !uploads.isEmpty()) {
      complete(pick(uploads), n);
    } else if (choice < 97) {
      // A request body abandoned mid-stream: its blob is aborted.
      lastStep = "abandoned blob";
      write(bytes(50)).abort();
    } else {
      lastStep = "restart";
      reopen();
      assertThat(store.sweptBlobCount()).as("step %d: nothing was left half-written", n).isZero();
    }
  }

  private void complete(String id, int n) {
    TreeMap<Integer, byte[]> parts = uploadParts.get(id);
    List<Integer> chosen = parts.keySet().stream().filter(p -> random.nextInt(4) != 0).toList();
    List<CompletedPart> request = chosen.stream().map(p -> new CompletedPart(p, partEtags.get(id).get(p))).toList();
    String key = uploadKeys.get(id);
    lastStep = "complete " + id + " with parts " + chosen + " of " + parts.keySet();
    boolean tooSmall = false;
    for (int i = 0; i < chosen.size() - 1; i++) {
      tooSmall |= parts.get(chosen.get(i)).length < PART_MIN;
    }
    if (chosen.isEmpty()) {
      assertThatThrownBy(() -> backend.completeUpload(BUCKET, key, id, request)).as("step %d", n)
          .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("MalformedXML"));
      return;
    }
    if (tooSmall) {
      assertThatThrownBy(() -> backend.completeUpload(BUCKET, key, id, request)).as("step %d", n)
          .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("EntityTooSmall"));
      return;
    }
    backend.completeUpload(BUCKET, key, id, request);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    chosen.forEach(p -> whole.writeBytes(parts.get(p)));
    objects.put(key, whole.toByteArray());
    objectChunks.put(key, chosen.stream().mapToInt(p -> chunksOf(parts.get(p))).sum());
    forget(id);
  }

  private void forget(String id) {
    uploadKeys.remove(id);
    uploadParts.remove(id);
    partEtags.remove(id);
  }

  private void checkInvariants(int n) {
    int expected = objectChunks.values().stream().mapToInt(Integer::intValue).sum()
        + uploadParts.values().stream().flatMap(p -> p.values().stream()).mapToInt(BlobLifecycleSimulationTest::chunksOf).sum();
    assertThat(StoreProbe.chunkCount(store)).as("step %d (%s): chunks of live objects and parts", n, lastStep).isEqualTo(expected);
    assertThat(StoreProbe.inProgressBlobCount(store)).as("step %d: blobs marked in progress", n).isZero();
    for (Map.Entry<String, byte[]> object : objects.entrySet()) {
      try (ObjectReader reader = backend.open(BUCKET, object.getKey())) {
        assertThat(read(reader)).as("step %d: %s", n, object.getKey()).isEqualTo(object.getValue());
      }
    }
    assertThat(backend.isBucketEmpty(BUCKET)).isEqualTo(objects.isEmpty() && uploadKeys.isEmpty());
  }

  private static byte[] read(ObjectReader reader) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    while (offset < reader.info().size()) {
      byte[] piece = reader.read(offset, 1 + (int) (offset % 23));
      assertThat(piece).isNotEmpty();
      out.writeBytes(piece);
      offset += piece.length;
    }
    return out.toByteArray();
  }

  private static byte[] md5(byte[] data) {
    return dev.canopy.storage.backend.MultipartRules.md5().digest(data);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14})
  void everyStepLeavesExactlyTheLiveChunks(long seed) {
    random = new Random(seed);
    reopen();
    for (int n = 0; n < STEPS; n++) {
      step(n);
      checkInvariants(n);
    }
    // Clean up through the API: an empty bucket holds no chunk at all.
    for (String id : new ArrayList<>(uploadKeys.keySet())) {
      backend.abortUpload(BUCKET, uploadKeys.get(id), id);
      forget(id);
    }
    backend.deleteAll(BUCKET, new ArrayList<>(objects.keySet()));
    objects.clear();
    objectChunks.clear();
    checkInvariants(STEPS);
    assertThat(StoreProbe.chunkCount(store)).isZero();
  }
}
