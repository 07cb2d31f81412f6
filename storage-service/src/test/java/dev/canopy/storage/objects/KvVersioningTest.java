package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.BackendIo;
import dev.canopy.storage.backend.DeleteMarkerException;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.VersionDeletion;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.backend.VersionsPage;
import dev.canopy.storage.backend.VersionsQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Versions, delete markers and their garbage collection on one real KV node, time moved by hand. */
class KvVersioningTest {

  private static final int CHUNK = 1024;
  private static final ObjectStoreSettings SETTINGS = ObjectStoreSettings.DEFAULTS.withChunkBytes(CHUNK, 0);

  private final KvCluster cluster = new KvCluster(1);
  private final KvObjectBackend backend =
      new KvObjectBackend(cluster.first(), cluster.time, new SplittableRandom(7), SETTINGS);
  private final ObjectBackend enabled = backend.versioned(Versioning.ENABLED);
  private final ObjectBackend suspended = backend.versioned(Versioning.SUSPENDED);

  @AfterEach
  void close() {
    cluster.close();
  }

  private ObjectInfo put(ObjectBackend to, String key, byte[] data) {
    cluster.time.advance(Duration.ofMillis(3));
    return to.commitObject("bkt", key, new BackendIo(() -> to).stream(data), BackendIo.md5(data), ObjectMetadata.empty(),
        Map.of());
  }

  private byte[] read(String key, String versionId) {
    try (ObjectReader reader = backend.open("bkt", key, versionId)) {
      return BackendIo.readRange(reader, 0, reader.info().size() - 1);
    }
  }

  private List<ObjectVersion> versions(String prefix) {
    return backend.listVersions("bkt", new VersionsQuery(prefix, "", "", "", 1000)).versions();
  }

  @Test
  void everyPutInAnEnabledBucketKeepsItsVersionReadableById() {
    byte[] first = "first".getBytes();
    byte[] second = new BackendIo(() -> backend).randomBytes(3 * CHUNK);
    ObjectInfo v1 = put(enabled, "k", first);
    ObjectInfo v2 = put(enabled, "k", second);

    assertThat(v1.versionId()).hasSize(32).isNotEqualTo(v2.versionId());
    assertThat(backend.head("bkt", "k").orElseThrow().versionId()).isEqualTo(v2.versionId());
    assertThat(read("k", v1.versionId())).isEqualTo(first);
    assertThat(read("k", v2.versionId())).isEqualTo(second);
    assertThat(versions("")).extracting(ObjectVersion::versionId, ObjectVersion::latest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(v2.versionId(), true),
            org.assertj.core.groups.Tuple.tuple(v1.versionId(), false));
  }

  @Test
  void twoNodesVersioningAKeyInTheSameMillisecondAgreeWithTheListingOnWhichIsCurrent() {
    // Both writers read "nothing there" and publish in one millisecond: their version ids share the
    // time prefix and differ in random digits, so across rounds either may sort first.
    SplittableRandom random = new SplittableRandom(11);
    KvCalls kv = new KvCalls(cluster.first(), SETTINGS.callTimeout());
    GarbageCollector gc = new GarbageCollector(kv, cluster.time, SETTINGS);
    Manifests manifests = new Manifests(kv, gc);
    KvVersions writers = new KvVersions(kv, manifests, gc, cluster.time,
        () -> java.util.HexFormat.of().toHexDigits(random.nextLong()));
    for (int round = 0; round < 20; round++) {
      String key = "race-" + round;
      Manifests.Current seenByBoth = manifests.read("bkt", key);
      long millis = cluster.time.millis();
      writers.publish("bkt", key, seenByBoth, inline(key, "a", millis), Versioning.ENABLED);
      writers.publish("bkt", key, seenByBoth, inline(key, "b", millis), Versioning.ENABLED);

      List<ObjectVersion> listed = versions(key);
      assertThat(listed).hasSize(2);
      assertThat(backend.head("bkt", key).orElseThrow().versionId()).as("round %d", round)
          .isEqualTo(listed.get(0).versionId());
      assertThat(listed.get(0).latest()).isTrue();
    }
  }

  private static Manifest inline(String key, String content, long millis) {
    byte[] bytes = content.getBytes();
    return new Manifest(key, bytes.length, java.util.HexFormat.of().formatHex(BackendIo.md5(bytes)), millis, content,
        ObjectMetadata.empty(), Map.of(), 0, bytes, List.of(), null, false);
  }

  @Test
  void anObjectWrittenBeforeVersioningBecomesTheNullVersion() {
    put(backend, "k", "legacy".getBytes());
    assertThat(versions("")).extracting(ObjectVersion::versionId).containsExactly("null");

    ObjectInfo v1 = put(enabled, "k", "new".getBytes());

    assertThat(read("k", "null")).isEqualTo("legacy".getBytes());
    assertThat(versions("")).extracting(ObjectVersion::versionId).containsExactly(v1.versionId(), "null");
  }

  @Test
  void aKeyWithMoreVersionsThanAStorePageKeepsItsOldestReachable() {
    // 2,500 versions: the scans for the null version and for the next newest page through the
    // store 1,000 keys at a time, however many versions the key has (they once gave up at a cap).
    put(backend, "k", "legacy".getBytes());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      ids.add(put(enabled, "k", ("v" + i).getBytes()).versionId());
    }
    assertThat(read("k", "null")).isEqualTo("legacy".getBytes());

    for (String id : ids.subList(1_000, 2_500)) {
      backend.deleteVersion("bkt", "k", id);
    }
    assertThat(backend.head("bkt", "k").orElseThrow().versionId()).as("the newest left is current")
        .isEqualTo(ids.get(999));
    assertThat(read("k", "null")).as("behind 1,500 deleted entries").isEqualTo("legacy".getBytes());
    assertThat(backend.deleteVersion("bkt", "k", "null").versionId()).isEqualTo("null");
    assertThat(versions("k")).hasSize(1_000).extracting(ObjectVersion::versionId).doesNotContain("null");
  }

  @Test
  void aDeleteAddsAMarkerAndRemovingTheMarkerBringsTheObjectBack() {
    ObjectInfo v1 = put(enabled, "k", "data".getBytes());
    cluster.time.advance(Duration.ofMillis(3));
    VersionDeletion marker = enabled.deleteVersion("bkt", "k", null);

    assertThat(marker.deleteMarker()).isTrue();
    assertThat(backend.head("bkt", "k")).isEmpty();
    assertThat(backend.isBucketEmpty("bkt")).as("versions left").isFalse();
    assertThat(backend.latestVersion("bkt", "k").orElseThrow().deleteMarker()).isTrue();
    assertThatThrownBy(() -> backend.head("bkt", "k", marker.versionId())).isInstanceOf(DeleteMarkerException.class);

    assertThat(backend.deleteVersion("bkt", "k", marker.versionId())).isEqualTo(marker);
    assertThat(backend.head("bkt", "k").orElseThrow().versionId()).isEqualTo(v1.versionId());
  }

  @Test
  void deletingTheCurrentVersionMakesTheNextNewestCurrent() {
    ObjectInfo v1 = put(enabled, "k", "one".getBytes());
    ObjectInfo v2 = put(enabled, "k", "two".getBytes());

    backend.deleteVersion("bkt", "k", v2.versionId());

    assertThat(new BackendIo(() -> backend).readAll("bkt", "k")).isEqualTo("one".getBytes());
    backend.deleteVersion("bkt", "k", v1.versionId());
    assertThat(backend.head("bkt", "k")).isEmpty();
    assertThat(backend.isBucketEmpty("bkt")).isTrue();
  }

  @Test
  void aSuspendedBucketReplacesOnlyTheNullVersion() {
    ObjectInfo v1 = put(enabled, "k", "kept".getBytes());
    put(suspended, "k", "null one".getBytes());
    ObjectInfo replacing = put(suspended, "k", "null two".getBytes());

    assertThat(replacing.versionId()).isEqualTo("null");
    assertThat(versions("")).extracting(ObjectVersion::versionId).containsExactly("null", v1.versionId());
    assertThat(read("k", "null")).isEqualTo("null two".getBytes());

    cluster.time.advance(Duration.ofMillis(3));
    assertThat(suspended.deleteVersion("bkt", "k", null)).isEqualTo(new VersionDeletion("null", true));
    assertThat(versions("")).extracting(ObjectVersion::versionId, ObjectVersion::deleteMarker)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("null", true),
            org.assertj.core.groups.Tuple.tuple(v1.versionId(), false));
  }

  @Test
  void unknownAndMalformedVersionIds() {
    put(enabled, "k", "x".getBytes());
    assertThat(backend.head("bkt", "k", "7fffffffffffffff0000000000000000")).isEmpty();
    assertThatThrownBy(() -> backend.head("bkt", "k", "not-an-id"))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
  }

  @Test
  void versionListingPagesWithMarkersAndRollsUpPrefixes() {
    List<String> expected = new ArrayList<>();
    for (String key : List.of("a", "b/1", "b/2", "c")) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(0, key + "@" + put(enabled, key, key.getBytes()).versionId());
      }
      expected.addAll(ids);
    }
    List<String> seen = new ArrayList<>();
    String keyMarker = "";
    String versionMarker = "";
    for (int pages = 0; pages < 20; pages++) {
      VersionsPage page = backend.listVersions("bkt", new VersionsQuery("", "", keyMarker, versionMarker, 2));
      page.versions().forEach(v -> seen.add(v.key() + "@" + v.versionId()));
      if (!page.truncated()) {
        break;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
    assertThat(seen).containsExactlyElementsOf(expected);

    VersionsPage rolled = backend.listVersions("bkt", new VersionsQuery("", "/", "", "", 1000));
    assertThat(rolled.commonPrefixes()).containsExactly("b/");
    assertThat(rolled.versions()).extracting(ObjectVersion::key).containsExactly("a", "a", "a", "c", "c", "c");
  }

  @Test
  void anOldVersionSurvivesGarbageCollectionAndAPermanentlyDeletedOneIsCollected() {
    byte[] old = new BackendIo(() -> backend).randomBytes(3 * CHUNK);
    ObjectInfo v1 = put(enabled, "k", old);
    put(enabled, "k", new BackendIo(() -> backend).randomBytes(2 * CHUNK));
    cluster.time.advance(SETTINGS.gcLeeway().plusSeconds(1));
    backend.collectGarbage();
    assertThat(read("k", v1.versionId())).isEqualTo(old);

    backend.deleteVersion("bkt", "k", v1.versionId());
    cluster.time.advance(SETTINGS.gcLeeway().plusSeconds(1));
    GcReport report = backend.collectGarbage();
    assertThat(report.blobsCollected()).isEqualTo(1);
    assertThat(report.chunksDeleted()).isEqualTo(3);
  }

  @Test
  void onThreeNodesEveryVersionSurvivesTheLossOfOne() {
    try (KvCluster three = new KvCluster(3)) {
      KvObjectBackend roundRobin = new KvObjectBackend(
          RoundRobinKv.over(three.nodes.values()), three.time, new SplittableRandom(8), SETTINGS);
      ObjectBackend versioned = roundRobin.versioned(Versioning.ENABLED);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        three.time.advance(Duration.ofMillis(2));
        byte[] data = ("v" + i).getBytes();
        ids.add(0, versioned.commitObject("bkt", "k", new BackendIo(() -> versioned).stream(data), BackendIo.md5(data),
            ObjectMetadata.empty(), Map.of()).versionId());
      }
      three.time.advance(Duration.ofMillis(2));
      String marker = versioned.deleteVersion("bkt", "k", null).versionId();
      three.stop("n2");
      // Read through a node still up: every version is on a quorum of the two left.
      KvObjectBackend survivor = new KvObjectBackend(three.node("n1"), three.time, new SplittableRandom(9), SETTINGS);

      assertThat(survivor.listVersions("bkt", new VersionsQuery("", "", "", "", 1000)).versions())
          .extracting(ObjectVersion::versionId).containsExactly(marker, ids.get(0), ids.get(1), ids.get(2), ids.get(3));
      try (ObjectReader reader = survivor.open("bkt", "k", ids.get(3))) {
        assertThat(BackendIo.readRange(reader, 0, 1)).isEqualTo("v0".getBytes());
      }
      assertThat(survivor.head("bkt", "k")).isEmpty();
    }
  }

  @Test
  void lifecycleExpirationInAVersionedBucketAddsADeleteMarker() {
    ObjectInfo v1 = put(enabled, "k", "expiring".getBytes());
    cluster.time.advance(Duration.ofMillis(3));

    assertThat(enabled.deleteIf("bkt", "k", current -> current.versionId().equals(v1.versionId()))).isTrue();

    assertThat(backend.head("bkt", "k")).isEmpty();
    assertThat(versions("")).extracting(ObjectVersion::deleteMarker, ObjectVersion::latest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(true, true), org.assertj.core.groups.Tuple.tuple(false, false));
    assertThat(read("k", v1.versionId())).isEqualTo("expiring".getBytes());
  }
}
