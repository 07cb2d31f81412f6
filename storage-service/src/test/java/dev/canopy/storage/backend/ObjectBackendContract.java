package dev.canopy.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectBackend} promises the S3 API, run against each backend by a subclass
 * that supplies it (chunks of 1 MiB, S3's 5 MiB minimum part size). Only what a client can see is
 * asserted here; how a backend frees storage is its own test's business.
 */
public abstract class ObjectBackendContract {

  protected static final int MIB = BackendIo.MIB;

  /** Streams and reads on {@link #backend()}. */
  protected final BackendIo io = new BackendIo(this::backend);

  /** The backend under test; the same instance for the whole test method. */
  protected abstract ObjectBackend backend();

  @Test
  void streamsA20MibObjectAndReadsRanges() {
    byte[] data = io.randomBytes(20 * MIB + 12345);
    ObjectMetadata meta = new ObjectMetadata("text/plain", "gzip", null, null, null, null, Map.of("color", "blue"));
    ObjectInfo info = backend().commitObject("bkt", "big", io.stream(data), BackendIo.md5(data), meta, Map.of("crc32", "AAAAAA=="));
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.etag()).isEqualTo(HexFormat.of().formatHex(BackendIo.md5(data)));

    try (ObjectReader reader = backend().open("bkt", "big")) {
      assertThat(reader.info().metadata()).isEqualTo(meta);
      assertThat(reader.info().checksums()).containsEntry("crc32", "AAAAAA==");
      assertThat(BackendIo.readRange(reader, 0, data.length - 1)).isEqualTo(data);
      long[][] ranges = {{0, 0}, {MIB - 1, MIB}, {5 * MIB + 3, 7 * MIB + 17}, {data.length - 10, data.length - 1}};
      for (long[] r : ranges) {
        assertThat(BackendIo.readRange(reader, r[0], r[1])).isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1));
      }
      assertThat(reader.read(data.length, 10)).isEmpty();
    }
    assertThat(backend().head("bkt", "big")).map(ObjectInfo::lastModified).contains(info.lastModified());
  }

  @Test
  void rewritingMetadataKeepsBytesEtagAndModificationTime() {
    byte[] big = io.randomBytes(2 * MIB + 7);
    byte[] small = io.randomBytes(100);
    for (byte[] data : List.of(big, small)) {
      String key = "meta-" + data.length;
      ObjectInfo before = io.put(key, data);
      ObjectInfo after = backend().updateMetadata("bkt", key,
          meta -> meta.withTags(Map.of("team", "blue")).withAcl("public-read"));
      assertThat(after.metadata().tags()).containsExactly(Map.entry("team", "blue"));
      assertThat(after.metadata().acl()).isEqualTo("public-read");
      assertThat(after.etag()).isEqualTo(before.etag());
      assertThat(after.lastModified()).isEqualTo(before.lastModified());
      assertThat(backend().head("bkt", key).orElseThrow().metadata()).isEqualTo(after.metadata());
      assertThat(io.readAll("bkt", key)).isEqualTo(data);
    }
    assertThatThrownBy(() -> backend().updateMetadata("bkt", "missing", meta -> meta.withAcl("public-read")))
        .isInstanceOf(AwsException.class).hasMessageContaining("key");
    assertThat(backend().head("bkt", "missing")).isEmpty();
  }

  @Test
  void bucketConfigDocumentsAreKeptPerBucketAndRemovedOneByOne() {
    assertThat(backend().bucketConfig("b1")).isEmpty();
    backend().setBucketConfig("b1", "policy", "{\"Statement\":[]}");
    backend().setBucketConfig("b1", "cors", "<CORSConfiguration/>");
    backend().setBucketConfig("b2", "policy", "other");
    backend().setBucketConfig("b1", "policy", "{\"Version\":\"2012-10-17\"}");
    assertThat(backend().bucketConfig("b1"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("policy", "{\"Version\":\"2012-10-17\"}", "cors", "<CORSConfiguration/>"));
    backend().setBucketConfig("b1", "cors", null);
    backend().setBucketConfig("b1", "never-set", null);
    assertThat(backend().bucketConfig("b1")).containsExactly(Map.entry("policy", "{\"Version\":\"2012-10-17\"}"));
    assertThat(backend().bucketConfig("b2")).containsExactly(Map.entry("policy", "other"));
    // Configuration is not content: an emptied bucket with a policy can still be deleted.
    assertThat(backend().isBucketEmpty("b1")).isTrue();
  }

  @Test
  void deleteIfDeletesOnlyTheVersionItJudged() {
    ObjectInfo first = io.put("judged", io.randomBytes(100));
    assertThat(backend().deleteIf("bkt", "judged", current -> false)).isFalse();
    assertThat(backend().head("bkt", "judged")).isPresent();
    // Overwritten after the judgement of the first version: the new one stays.
    ObjectInfo second = io.put("judged", io.randomBytes(2 * MIB + 1));
    assertThat(backend().deleteIf("bkt", "judged", current -> current.etag().equals(first.etag()))).isFalse();
    assertThat(backend().head("bkt", "judged")).map(ObjectInfo::etag).contains(second.etag());
    assertThat(backend().deleteIf("bkt", "judged", current -> current.etag().equals(second.etag()))).isTrue();
    assertThat(backend().head("bkt", "judged")).isEmpty();
    assertThat(backend().deleteIf("bkt", "judged", current -> true)).isFalse();
  }

  @Test
  void configuredBucketsListsTheBucketsWithDocumentsInIdOrder() {
    backend().setBucketConfig("cfg-b", "lifecycle", "{}");
    backend().setBucketConfig("cfg-a", "tagging", "<Tagging/>");
    backend().setBucketConfig("cfg-c", "lifecycle", "{}");
    assertThat(backend().configuredBuckets("", 100)).containsSubsequence("cfg-a", "cfg-b", "cfg-c");
    assertThat(backend().configuredBuckets("cfg-a", 1)).containsExactly("cfg-b");
    assertThat(backend().configuredBuckets("cfg-c", 100)).doesNotContain("cfg-a", "cfg-b", "cfg-c");
  }

  @Test
  void aReaderOpenedBeforeAnOverwriteKeepsItsVersion() {
    byte[] first = io.randomBytes(3 * MIB);
    byte[] second = io.randomBytes(MIB / 2);
    io.put("k", first);
    try (ObjectReader before = backend().open("bkt", "k")) {
      io.put("k", second);
      assertThat(BackendIo.readRange(before, 0, first.length - 1)).isEqualTo(first);
    }
    assertThat(io.readAll("bkt", "k")).isEqualTo(second);
    assertThat(backend().delete("bkt", "k")).isTrue();
    assertThat(backend().delete("bkt", "k")).isFalse();
    assertThat(backend().head("bkt", "k")).isEmpty();
    assertThatThrownBy(() -> backend().open("bkt", "k")).isInstanceOf(AwsException.class).hasMessageContaining("key");
  }

  @Test
  void anAbortedBlobLeavesNothingVisible() {
    BlobWriter blob = io.stream(io.randomBytes(2 * MIB + 5));
    blob.abort();
    blob.abort();
    assertThat(backend().head("bkt", "never")).isEmpty();
    assertThat(backend().isBucketEmpty("bkt")).isTrue();
    assertThat(backend().list("bkt", new ListQuery("", "", "", 10)).contents()).isEmpty();
  }

  @Test
  void objectsAtChunkBoundariesReadBackWhole() {
    for (int size : new int[] {0, 1, MIB - 1, MIB, MIB + 1, 3 * MIB}) {
      byte[] data = io.randomBytes(size);
      ObjectInfo info = io.put("size-" + size, data);
      assertThat(info.size()).isEqualTo(size);
      assertThat(io.readAll("bkt", "size-" + size)).as("%d bytes", size).isEqualTo(data);
    }
    assertThat(backend().head("bkt", "size-0")).map(ObjectInfo::etag).contains("d41d8cd98f00b204e9800998ecf8427e");
  }

  @Test
  void listsWithPrefixDelimiterAndPages() {
    for (String key : List.of("a/1", "a/2", "b", "c/d/e", "c/f")) {
      io.put(key, key.getBytes());
    }
    backend().commitObject("other", "zzz", io.stream(new byte[1]), BackendIo.md5(new byte[1]), ObjectMetadata.empty(), Map.of());
    ListPage all = backend().list("bkt", new ListQuery("", "/", "", 1000));
    assertThat(all.contents()).extracting(ObjectSummary::key).containsExactly("b");
    assertThat(all.commonPrefixes()).containsExactly("a/", "c/");
    ListPage first = backend().list("bkt", new ListQuery("", "", "", 2));
    assertThat(first.contents()).extracting(ObjectSummary::key).containsExactly("a/1", "a/2");
    assertThat(first.truncated()).isTrue();
    ListPage second = backend().list("bkt", new ListQuery("", "", first.lastItem(), 10));
    assertThat(second.contents()).extracting(ObjectSummary::key).containsExactly("b", "c/d/e", "c/f");
    assertThat(backend().list("bkt", new ListQuery("c/", "/", "", 10)).commonPrefixes()).containsExactly("c/d/");
    ListPage afterPrefix = backend().list("bkt", new ListQuery("", "/", "a/", 10));
    assertThat(afterPrefix.contents()).extracting(ObjectSummary::key).containsExactly("b");
    assertThat(afterPrefix.commonPrefixes()).containsExactly("c/");
    assertThat(backend().deleteAll("bkt", List.of("a/1", "a/2", "b", "nope"))).hasSize(4);
    assertThat(backend().list("bkt", new ListQuery("", "", "", 10)).contents()).extracting(ObjectSummary::key)
        .containsExactly("c/d/e", "c/f");
  }

  @Test
  void multipartCompleteAssemblesThePartsInOrder() {
    byte[] p1 = io.randomBytes(5 * MIB);
    byte[] p2 = io.randomBytes(5 * MIB + 7);
    byte[] p3 = io.randomBytes(1000);
    UploadInfo upload = backend().createUpload("bkt", "mp",
        new ObjectMetadata("video/mp4", null, null, null, null, null, Map.of()).withAcl("group:AllUsers READ"));
    assertThat(backend().isBucketEmpty("bkt")).isFalse();
    PartInfo part2 = backend().commitPart("bkt", "mp", upload.uploadId(), 2, io.stream(p2), BackendIo.md5(p2));
    backend().commitPart("bkt", "mp", upload.uploadId(), 1, io.stream(io.randomBytes(10)), BackendIo.md5(new byte[0]));
    // Re-uploading part 1 replaces it.
    PartInfo part1 = backend().commitPart("bkt", "mp", upload.uploadId(), 1, io.stream(p1), BackendIo.md5(p1));
    PartInfo part3 = backend().commitPart("bkt", "mp", upload.uploadId(), 3, io.stream(p3), BackendIo.md5(p3));
    assertThat(backend().listParts("bkt", "mp", upload.uploadId(), 0, 1000).parts())
        .extracting(PartInfo::partNumber).containsExactly(1, 2, 3);
    PartsPage firstTwo = backend().listParts("bkt", "mp", upload.uploadId(), 0, 2);
    assertThat(firstTwo.truncated()).isTrue();
    assertThat(backend().listParts("bkt", "mp", upload.uploadId(), firstTwo.nextMarker(), 2).parts())
        .extracting(PartInfo::partNumber).containsExactly(3);
    assertThat(backend().listUploads("bkt", "", "", "", 1000).uploads()).extracting(UploadInfo::uploadId)
        .containsExactly(upload.uploadId());

    assertThatThrownBy(() -> backend().completeUpload("bkt", "mp", upload.uploadId(),
            List.of(new CompletedPart(1, part1.etag()), new CompletedPart(2, "bad"))))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("InvalidPart");

    ObjectInfo done = backend().completeUpload("bkt", "mp", upload.uploadId(), List.of(
        new CompletedPart(1, "\"" + part1.etag() + "\""), new CompletedPart(2, part2.etag()),
        new CompletedPart(3, part3.etag())));
    assertThat(done.size()).isEqualTo(p1.length + p2.length + p3.length);
    assertThat(done.etag()).isEqualTo(MultipartRules.multipartEtag(List.of(part1, part2, part3)));
    assertThat(done.metadata().contentType()).isEqualTo("video/mp4");
    assertThat(done.metadata().acl()).as("the ACL asked for at CreateMultipartUpload").isEqualTo("group:AllUsers READ");
    try (ObjectReader reader = backend().open("bkt", "mp")) {
      byte[] all = BackendIo.readRange(reader, 0, done.size() - 1);
      assertThat(Arrays.copyOfRange(all, 0, p1.length)).isEqualTo(p1);
      assertThat(Arrays.copyOfRange(all, p1.length, p1.length + p2.length)).isEqualTo(p2);
      assertThat(Arrays.copyOfRange(all, p1.length + p2.length, all.length)).isEqualTo(p3);
      // A range that spans the part boundary.
      assertThat(BackendIo.readRange(reader, p1.length - 3, p1.length + 2)).isEqualTo(
          Arrays.copyOfRange(all, p1.length - 3, p1.length + 3));
    }
    assertThatThrownBy(() -> backend().abortUpload("bkt", "mp", upload.uploadId()))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("NoSuchUpload");
    backend().delete("bkt", "mp");
    assertThat(backend().isBucketEmpty("bkt")).isTrue();
  }

  @Test
  void aMultipartObjectKnowsWhereEachPartLies() {
    byte[] p1 = io.randomBytes(5 * MIB + 1);
    byte[] p3 = io.randomBytes(10);
    UploadInfo upload = backend().createUpload("bkt", "parts", ObjectMetadata.empty());
    PartInfo part1 = backend().commitPart("bkt", "parts", upload.uploadId(), 1, io.stream(p1), BackendIo.md5(p1));
    PartInfo part3 = backend().commitPart("bkt", "parts", upload.uploadId(), 3, io.stream(p3), BackendIo.md5(p3));
    ObjectInfo done = backend().completeUpload("bkt", "parts", upload.uploadId(),
        List.of(new CompletedPart(1, part1.etag()), new CompletedPart(3, part3.etag())));
    // Parts are numbered by their place in the object: upload part 3 is the object's part 2.
    assertThat(done.partSizes()).containsExactly((long) p1.length, (long) p3.length);
    assertThat(backend().head("bkt", "parts").orElseThrow().partSizes()).isEqualTo(done.partSizes());
    try (ObjectReader reader = backend().open("bkt", "parts")) {
      assertThat(reader.info().partCount()).isEqualTo(2);
      ByteRange second = reader.info().partRange(2).orElseThrow();
      assertThat(second).isEqualTo(new ByteRange(p1.length, p1.length + p3.length - 1L));
      assertThat(BackendIo.readRange(reader, second.first(), second.last())).isEqualTo(p3);
    }
    assertThat(done.partRange(3)).isEmpty();
    assertThat(io.put("single", p3).partSizes()).isEmpty();
    assertThat(backend().head("bkt", "single").orElseThrow().partCount()).isZero();
  }

  @Test
  void anAbortedUploadRefusesLatePartsAndListsNoMore() {
    UploadInfo upload = backend().createUpload("bkt", "x", ObjectMetadata.empty());
    backend().commitPart("bkt", "x", upload.uploadId(), 1, io.stream(io.randomBytes(MIB + 1)), BackendIo.md5(new byte[0]));
    backend().abortUpload("bkt", "x", upload.uploadId());
    BlobWriter late = io.stream(io.randomBytes(100));
    assertThatThrownBy(() -> backend().commitPart("bkt", "x", upload.uploadId(), 2, late, BackendIo.md5(new byte[0])))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("NoSuchUpload");
    assertThatThrownBy(() -> backend().listParts("bkt", "other-key", upload.uploadId(), 0, 10))
        .isInstanceOf(AwsException.class);
    assertThat(backend().listUploads("bkt", "", "", "", 10).uploads()).isEmpty();
    assertThat(backend().isBucketEmpty("bkt")).isTrue();
  }

  @Test
  void uploadsListInKeyOrderWithDelimiterAndMarkers() {
    List<String> keys = List.of("a/1", "a/2", "b", "b", "c");
    for (String key : keys) {
      backend().createUpload("bkt", key, ObjectMetadata.empty());
    }
    UploadsPage rolled = backend().listUploads("bkt", "", "/", "", "", 10);
    assertThat(rolled.commonPrefixes()).containsExactly("a/");
    assertThat(rolled.uploads()).extracting(UploadInfo::key).containsExactly("b", "b", "c");
    UploadsPage first = backend().listUploads("bkt", "", "", "", "", 3);
    assertThat(first.uploads()).extracting(UploadInfo::key).containsExactly("a/1", "a/2", "b");
    assertThat(first.truncated()).isTrue();
    UploadsPage rest = backend().listUploads("bkt", "", "", first.nextKeyMarker(), first.nextUploadIdMarker(), 3);
    assertThat(rest.uploads()).extracting(UploadInfo::key).containsExactly("b", "c");
    assertThat(rest.truncated()).isFalse();
  }

  @Test
  void conditionalWritesCheckTheCurrentVersion() {
    byte[] data = io.randomBytes(10);
    WriteCondition absent = new WriteCondition(true, List.of());
    ObjectInfo created = backend().commitObject("bkt", "c", io.stream(data), BackendIo.md5(data), ObjectMetadata.empty(), Map.of(), absent);
    assertThatThrownBy(() -> backend().commitObject("bkt", "c", io.stream(data), BackendIo.md5(data), ObjectMetadata.empty(), Map.of(), absent))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("PreconditionFailed");
    WriteCondition wrongEtag = new WriteCondition(false, List.of("0123"));
    assertThatThrownBy(() -> backend().commitObject("bkt", "c", io.stream(data), BackendIo.md5(data), ObjectMetadata.empty(), Map.of(), wrongEtag))
        .extracting(e -> ((AwsException) e).code()).isEqualTo("PreconditionFailed");
    byte[] next = io.randomBytes(20);
    backend().commitObject("bkt", "c", io.stream(next), BackendIo.md5(next), ObjectMetadata.empty(), Map.of(),
        new WriteCondition(false, List.of(created.etag())));
    assertThat(io.readAll("bkt", "c")).isEqualTo(next);
  }

  @Test
  void copyDuplicatesDataWithNewOrSameMetadata() {
    byte[] data = io.randomBytes(2 * MIB + 3);
    backend().commitObject("bkt", "src", io.stream(data), BackendIo.md5(data),
        new ObjectMetadata("a/b", null, null, null, null, null, Map.of("k", "v")), Map.of());
    ObjectInfo same = backend().copy("bkt", "src", "bkt2", "dst", Optional.empty());
    assertThat(same.etag()).isEqualTo(HexFormat.of().formatHex(BackendIo.md5(data)));
    assertThat(same.metadata().userMetadata()).containsEntry("k", "v");
    ObjectInfo replaced = backend().copy("bkt", "src", "bkt2", "dst2", Optional.of(ObjectMetadata.empty()));
    assertThat(replaced.metadata().userMetadata()).isEmpty();
    backend().delete("bkt", "src");
    assertThat(io.readAll("bkt2", "dst")).isEqualTo(data);
  }

  @Test
  void namespacesAreIsolated() {
    io.put("same", new byte[] {1});
    assertThat(backend().head("bkt2", "same")).isEmpty();
    assertThat(backend().isBucketEmpty("bkt2")).isTrue();
    assertThat(backend().isBucketEmpty("bkt")).isFalse();
  }

  @Test
  void aBucketWhoseFirstKeysWereDeletedIsNotEmptyAndListsTheRest() {
    for (String key : List.of("a1", "a2", "a3", "b")) {
      io.put(key, new byte[] {7});
    }
    for (String key : List.of("a1", "a2", "a3")) {
      backend().delete("bkt", key);
    }

    assertThat(backend().isBucketEmpty("bkt")).isFalse();
    assertThat(backend().list("bkt", new ListQuery("", "", "", 1)).contents())
        .extracting(ObjectSummary::key).containsExactly("b");
    backend().delete("bkt", "b");
    assertThat(backend().isBucketEmpty("bkt")).isTrue();
  }
}
