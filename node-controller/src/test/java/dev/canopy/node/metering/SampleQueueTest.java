package dev.canopy.node.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleQueueTest {

  @TempDir Path dataDir;

  private final SplittableRandom random = new SplittableRandom(7);

  private SampleQueue open() {
    return SampleQueue.open(dataDir, random);
  }

  private static List<Sample> samples(int count, long rxBytes) {
    return IntStream.range(0, count)
        .mapToObj(i -> Sample.nic("i-" + i, "52:54:00:00:00:01", "vnet" + i, 1_000, 10_000, rxBytes, 1, 0, 0))
        .toList();
  }

  private static Baselines baselines(long cpu) {
    return new Baselines(Map.of("i-1", new Baselines.Guest(cpu, cpu, Map.of())));
  }

  private Path meteringDir() {
    return dataDir.resolve(SampleQueue.DIR_NAME);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(meteringDir())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void batchesComeOutOldestFirstAndGoOnAck() {
    SampleQueue queue = open();
    assertThat(queue.append(samples(2, 10), baselines(1), 1)).isTrue();
    assertThat(queue.append(samples(1, 20), baselines(2), 2)).isTrue();

    List<SampleQueue.Batch> batches = queue.peek(10, Set.of());
    assertThat(batches).extracting(SampleQueue.Batch::seq).containsExactly(1L, 2L);
    assertThat(batches.get(0).batchId()).startsWith("1-").matches("[A-Za-z0-9._:-]{1,128}");
    assertThat(batches.get(0).samples()).hasSize(2);
    assertThat(batches.get(1).samples().get(0).path("rxBytes").asLong()).isEqualTo(20);
    assertThat(queue.peek(10, Set.of(batches.get(0).batchId()))).extracting(SampleQueue.Batch::seq).containsExactly(2L);

    assertThat(queue.remove(batches.get(0).batchId())).isTrue();
    assertThat(queue.remove(batches.get(0).batchId())).as("a repeated ack").isFalse();
    assertThat(queue.peek(10, Set.of())).extracting(SampleQueue.Batch::seq).containsExactly(2L);
    assertThat(queue.batches()).isEqualTo(1);
  }

  @Test
  void aRestartRecoversTheBatchesInOrderWithTheirBaselinesAndIds() {
    SampleQueue before = open();
    for (int i = 1; i <= 5; i++) {
      before.append(samples(1, i), baselines(i), i);
    }
    List<SampleQueue.Batch> queued = before.peek(10, Set.of());
    before.remove(queued.get(0).batchId());

    SampleQueue after = open();

    assertThat(after.peek(10, Set.of())).isEqualTo(queued.subList(1, 5));
    assertThat(after.baselines()).isEqualTo(baselines(5));
    assertThat(after.nextSeq()).isEqualTo(6);
  }

  @Test
  void aCrashBetweenWriteAndRenameLeavesNoHalfBatch() throws IOException {
    SampleQueue queue = open();
    queue.append(samples(1, 1), baselines(1), 1);
    // What a crash in the middle of DurableFiles.write leaves: a partial temp file, never renamed.
    Files.writeString(meteringDir().resolve("seg-00000000000000000002.json.tmp"), "{\"v\":1,\"firstSeq\":2,\"batch");
    Files.writeString(meteringDir().resolve("state.json.tmp"), "{\"v\":1,\"nextSe");

    SampleQueue recovered = open();

    assertThat(recovered.peek(10, Set.of())).extracting(SampleQueue.Batch::seq).containsExactly(1L);
    assertThat(recovered.baselines()).isEqualTo(baselines(1));
    assertThat(recovered.nextSeq()).isEqualTo(2);
    assertThat(files()).noneMatch(name -> name.endsWith(".tmp"));
  }

  @Test
  void aCrashBeforeTheStateFileIsUpdatedStillYieldsTheBaselinesOfTheNewestBatch() throws IOException {
    SampleQueue queue = open();
    queue.append(samples(1, 1), baselines(1), 1);
    Path state = meteringDir().resolve("state.json");
    Path older = dataDir.resolve("state-after-1.json");
    Files.copy(state, older);
    queue.append(samples(1, 2), baselines(2), 2);
    // As if the agent died after renaming segment 2 but before renaming its state.json.
    Files.copy(older, state, StandardCopyOption.REPLACE_EXISTING);

    SampleQueue recovered = open();

    assertThat(recovered.baselines()).as("the segment holds the baselines after it").isEqualTo(baselines(2));
    assertThat(recovered.nextSeq()).isEqualTo(3);
  }

  @Test
  void baselinesSurviveWhenEveryBatchIsAcknowledged() {
    SampleQueue queue = open();
    queue.append(samples(1, 1), baselines(1), 1);
    queue.append(List.of(), baselines(9), 2);
    queue.peek(10, Set.of()).forEach(b -> queue.remove(b.batchId()));
    assertThat(queue.segments()).isZero();

    SampleQueue recovered = open();

    assertThat(recovered.baselines()).isEqualTo(baselines(9));
    assertThat(recovered.nextSeq()).isEqualTo(2);
    assertThat(recovered.peek(10, Set.of())).isEmpty();
  }

  @Test
  void aLargeReadingIsSplitIntoBatchesThatShareOneFile() throws IOException {
    SampleQueue queue = open();
    queue.append(samples(1_200, 1), baselines(1), 1);

    List<SampleQueue.Batch> batches = queue.peek(10, Set.of());
    assertThat(batches).extracting(b -> b.samples().size()).containsExactly(500, 500, 200);
    assertThat(batches).extracting(SampleQueue.Batch::seq).containsExactly(1L, 2L, 3L);
    assertThat(files()).containsExactly("seg-00000000000000000001.json", "state.json");

    queue.remove(batches.get(0).batchId());
    queue.remove(batches.get(2).batchId());
    assertThat(files()).as("kept until its last batch is acknowledged").contains("seg-00000000000000000001.json");
    queue.remove(batches.get(1).batchId());
    assertThat(files()).containsExactly("state.json");
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void aFullQueueRefusesAndStoresNothing() throws IOException {
    SampleQueue bySegments = SampleQueue.open(dataDir.resolve("a"), 2, 1L << 30, random);
    assertThat(bySegments.append(samples(1, 1), baselines(1), 1)).isTrue();
    assertThat(bySegments.append(samples(1, 2), baselines(2), 2)).isTrue();
    assertThat(bySegments.append(samples(1, 3), baselines(3), 3)).isFalse();
    assertThat(bySegments.baselines()).as("unchanged, so the next reading covers the refused one").isEqualTo(baselines(2));
    assertThat(bySegments.batches()).isEqualTo(2);

    SampleQueue byBytes = SampleQueue.open(dataDir.resolve("b"), 100, 4_096, random);
    assertThat(byBytes.append(samples(5, 1), baselines(1), 1)).isTrue();
    assertThat(byBytes.append(samples(40, 1), baselines(2), 2)).isFalse();
    assertThat(byBytes.bytes()).isLessThanOrEqualTo(4_096);

    // Room again once the oldest is acknowledged.
    bySegments.remove(bySegments.peek(1, Set.of()).get(0).batchId());
    assertThat(bySegments.append(samples(1, 3), baselines(3), 3)).isTrue();
  }

  @Test
  void anUnreadableSegmentIsSetAsideLoudlyNotDeleted() throws IOException {
    SampleQueue queue = open();
    queue.append(samples(1, 1), baselines(1), 1);
    queue.append(samples(1, 2), baselines(2), 2);
    Files.writeString(meteringDir().resolve("seg-00000000000000000001.json"), "garbage");

    SampleQueue recovered = open();

    assertThat(recovered.peek(10, Set.of())).extracting(SampleQueue.Batch::seq).containsExactly(2L);
    assertThat(files()).contains("seg-00000000000000000001.json.corrupt");
  }

  @Test
  void aSegmentDeletedBehindItsBackIsForgottenSoTheRestStillGo() throws IOException {
    SampleQueue queue = open();
    queue.append(samples(1, 1), baselines(1), 1);
    queue.append(samples(1, 2), baselines(2), 2);
    Files.delete(meteringDir().resolve("seg-00000000000000000001.json"));

    assertThat(queue.peek(10, Set.of())).extracting(SampleQueue.Batch::seq).containsExactly(2L);
    assertThat(queue.batches()).isEqualTo(1);
  }

  @Test
  void batchIdsDifferAfterTheFolderIsWiped() throws IOException {
    SampleQueue first = open();
    first.append(samples(1, 1), baselines(1), 1);
    String id = first.peek(1, Set.of()).get(0).batchId();
    try (Stream<Path> s = Files.list(meteringDir())) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }

    SampleQueue wiped = open();
    wiped.append(samples(1, 1), baselines(1), 1);

    assertThat(wiped.peek(1, Set.of()).get(0).batchId()).startsWith("1-").isNotEqualTo(id);
  }
}
