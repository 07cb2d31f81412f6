package dev.canopy.node.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metering queue as the agent's disk holds it: the order batches leave in, what an ack
 * deletes, what a restart brings back (with the same batch ids, so the controller's dedupe
 * holds), the bounds, and damaged files at the tail.
 */
class SampleQueueDurabilityTest {

  @TempDir Path dataDir;
  private final SplittableRandom random = new SplittableRandom(11);

  private SampleQueue open() {
    return SampleQueue.open(dataDir, random);
  }

  private SampleQueue open(int segmentsMax, long bytesMax) {
    return SampleQueue.open(dataDir, segmentsMax, bytesMax, random);
  }

  private static List<Sample> reading(int count, long rxBytes) {
    return IntStream.range(0, count)
        .mapToObj(i -> Sample.nic("i-0000000" + i, "52:54:00:00:00:0" + i % 10, "vnet" + i, 10_000, 10_000, rxBytes, 1, 2, 3))
        .toList();
  }

  private static Baselines after(long cpu) {
    return new Baselines(Map.of("i-00000001", new Baselines.Guest(cpu, cpu,
        Map.of("52:54:00:00:00:01", new Baselines.Nic("vnet0", cpu, 1, 2, 3)))));
  }

  private Path meteringDir() {
    return dataDir.resolve(SampleQueue.DIR_NAME);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(meteringDir())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<Long> seqs(List<SampleQueue.Batch> batches) {
    return batches.stream().map(SampleQueue.Batch::seq).toList();
  }

  private static String segment(long firstSeq) {
    return String.format("seg-%020d.json", firstSeq);
  }

  @Test
  void batchesLeaveOldestFirstInAsManyRoundsAsTheCallerAllows() {
    SampleQueue queue = open();
    for (int i = 1; i <= 7; i++) {
      queue.append(reading(1, i), after(i), i);
    }
    List<SampleQueue.Batch> first = queue.peek(3, Set.of());
    Set<String> inFlight = Set.copyOf(first.stream().map(SampleQueue.Batch::batchId).toList());

    List<SampleQueue.Batch> second = queue.peek(3, inFlight);

    assertThat(seqs(first)).containsExactly(1L, 2L, 3L);
    assertThat(seqs(second)).as("what is in flight is not sent twice").containsExactly(4L, 5L, 6L);
    assertThat(second.get(0).samples().get(0).path("rxBytes").asLong()).isEqualTo(4);
    first.forEach(b -> queue.remove(b.batchId()));
    assertThat(seqs(queue.peek(10, Set.of()))).containsExactly(4L, 5L, 6L, 7L);
  }

  @Test
  void anAckDeletesTheSegmentAndGivesItsBytesBack() throws IOException {
    SampleQueue queue = open();
    queue.append(reading(3, 1), after(1), 1);
    queue.append(reading(3, 2), after(2), 2);
    long firstBytes = Files.size(meteringDir().resolve(segment(1)));
    long total = queue.bytes();

    String oldest = queue.peek(1, Set.of()).get(0).batchId();
    assertThat(queue.remove(oldest)).isTrue();

    assertThat(files()).containsExactly(segment(2), "state.json");
    assertThat(queue.bytes()).isEqualTo(total - firstBytes);
    assertThat(queue.batches()).isEqualTo(1);
    assertThat(queue.remove("1-0000000000000000")).as("an ack for a batch this queue never held").isFalse();
  }

  @Test
  void aBatchAckedBeforeARestartIsNotSentAgainAndTheRestKeepTheirIds() {
    SampleQueue before = open();
    before.append(reading(1, 1), after(1), 1);
    before.append(reading(1, 2), after(2), 2);
    before.append(reading(1, 3), after(3), 3);
    List<SampleQueue.Batch> queued = before.peek(10, Set.of());
    before.remove(queued.get(1).batchId());

    SampleQueue after = open();

    assertThat(after.peek(10, Set.of())).extracting(SampleQueue.Batch::batchId)
        .containsExactly(queued.get(0).batchId(), queued.get(2).batchId());
    assertThat(after.remove(queued.get(1).batchId())).isFalse();
    assertThat(after.nextSeq()).isEqualTo(4);
  }

  @Test
  void aSegmentPartlyAckedBeforeARestartIsResentWholeUnderTheSameIdsForTheControllerToDedupe() {
    SampleQueue before = open();
    before.append(reading(SampleQueue.SAMPLES_PER_BATCH_MAX + 10, 1), after(1), 1);
    List<SampleQueue.Batch> queued = before.peek(10, Set.of());
    assertThat(queued).hasSize(2);
    before.remove(queued.get(0).batchId()); // acked; the segment stays for its second batch

    SampleQueue after = open();

    // The ack of one batch of a segment lives only in memory: both come back, with their ids.
    assertThat(after.peek(10, Set.of())).extracting(SampleQueue.Batch::batchId)
        .containsExactly(queued.get(0).batchId(), queued.get(1).batchId());
    assertThat(after.remove(queued.get(0).batchId())).isTrue();
    assertThat(after.remove(queued.get(1).batchId())).isTrue();
    assertThat(after.segments()).isZero();
  }

  @Test
  void sequenceNumbersKeepGrowingAcrossRestartsEvenWhenEverythingWasAcked() {
    SampleQueue first = open();
    first.append(reading(1, 1), after(1), 1);
    first.append(reading(1, 2), after(2), 2);
    first.peek(10, Set.of()).forEach(b -> first.remove(b.batchId()));

    SampleQueue second = open();
    second.append(reading(1, 3), after(3), 3);

    assertThat(seqs(second.peek(10, Set.of()))).containsExactly(3L);
    assertThat(second.peek(10, Set.of()).get(0).batchId()).startsWith("3-");
  }

  @Test
  void theBoundsHoldForWhatARestartRecovers() throws IOException {
    SampleQueue big = open(10, 1L << 20);
    for (int i = 1; i <= 3; i++) {
      big.append(reading(2, i), after(i), i);
    }
    long onDisk = 0;
    for (String name : files()) {
      if (name.startsWith("seg-")) {
        onDisk += Files.size(meteringDir().resolve(name));
      }
    }

    SampleQueue small = open(2, 1L << 20); // the operator lowered the bound

    assertThat(small.bytes()).isEqualTo(onDisk);
    assertThat(small.segments()).isEqualTo(3);
    assertThat(small.append(reading(1, 9), after(9), 9)).as("over the bound: refused").isFalse();
    assertThat(small.baselines()).as("kept, so the next stored reading covers the refused one").isEqualTo(after(3));
    small.peek(2, Set.of()).forEach(b -> small.remove(b.batchId()));
    assertThat(small.append(reading(1, 9), after(9), 9)).isTrue();
    assertThat(seqs(small.peek(10, Set.of()))).containsExactly(3L, 4L);
  }

  @Test
  void aTornNewestSegmentIsSetAsideAndTheOlderOnesStillGoInOrder() throws IOException {
    SampleQueue queue = open();
    for (int i = 1; i <= 3; i++) {
      queue.append(reading(2, i), after(i), i);
    }
    List<String> older = queue.peek(2, Set.of()).stream().map(SampleQueue.Batch::batchId).toList();
    Path newest = meteringDir().resolve(segment(3));
    byte[] whole = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(whole, whole.length / 2)); // a disk that lost the tail

    SampleQueue recovered = open();

    assertThat(recovered.peek(10, Set.of())).extracting(SampleQueue.Batch::batchId).containsExactlyElementsOf(older);
    assertThat(files()).contains(segment(3) + ".corrupt").doesNotContain(segment(3));
    assertThat(recovered.nextSeq()).as("the lost batch's number is not reused").isEqualTo(4);
    assertThat(recovered.baselines()).isEqualTo(after(3));
    recovered.append(reading(1, 4), after(4), 4);
    assertThat(seqs(recovered.peek(10, Set.of()))).containsExactly(1L, 2L, 4L);
  }

  @Test
  void aFileOfAnotherVersionIsSetAsideNotMisread() throws IOException {
    SampleQueue queue = open();
    queue.append(reading(1, 1), after(1), 1);
    Files.writeString(meteringDir().resolve(segment(2)),
        "{\"v\":2,\"firstSeq\":2,\"nextSeq\":3,\"batches\":[{\"seq\":2,\"batchId\":\"2-x\",\"samples\":[]}]}");

    SampleQueue recovered = open();

    assertThat(seqs(recovered.peek(10, Set.of()))).containsExactly(1L);
    assertThat(files()).contains(segment(2) + ".corrupt");
  }

  @Test
  void aDamagedStateFileFallsBackToTheNewestSegmentsBaselines() throws IOException {
    SampleQueue queue = open();
    queue.append(reading(1, 1), after(1), 1);
    queue.append(reading(1, 2), after(2), 2);
    Files.writeString(meteringDir().resolve("state.json"), "{\"v\":1,\"nextSeq\":");

    SampleQueue recovered = open();

    assertThat(recovered.baselines()).isEqualTo(after(2));
    assertThat(recovered.nextSeq()).isEqualTo(3);
    assertThat(files()).contains("state.json.corrupt");
  }

  @Test
  void filesThatAreNotTheQueuesAreLeftAlone() throws IOException {
    SampleQueue queue = open();
    queue.append(reading(1, 1), after(1), 1);
    Files.writeString(meteringDir().resolve("NOTES.txt"), "kept by the operator");
    Files.writeString(meteringDir().resolve("seg-00000000000000000001.json.corrupt"), "evidence from an earlier fault");

    SampleQueue recovered = open();

    assertThat(seqs(recovered.peek(10, Set.of()))).containsExactly(1L);
    assertThat(meteringDir().resolve("NOTES.txt")).hasContent("kept by the operator");
    assertThat(meteringDir().resolve("seg-00000000000000000001.json.corrupt")).hasContent("evidence from an earlier fault");
  }

  @Test
  void eachBatchCarriesTheReadingsSamplesInTheirWireForm() {
    SampleQueue queue = open();
    List<Sample> samples = new ArrayList<>(reading(1, 100));
    samples.add(Sample.instance("i-00000001", 10_000, 10_000, 5_000_000, 262_144));
    queue.append(samples, after(1), 10_000);

    var wire = queue.peek(1, Set.of()).get(0).samples();

    assertThat(wire).hasSize(2);
    assertThat(wire.get(0).path("mac").asText()).isEqualTo("52:54:00:00:00:00");
    assertThat(wire.get(0).path("rxBytes").asLong()).isEqualTo(100);
    assertThat(wire.get(0).has("cpuTimeNanos")).isFalse();
    assertThat(wire.get(1).path("cpuTimeNanos").asLong()).isEqualTo(5_000_000);
    assertThat(wire.get(1).path("memoryKib").asLong()).isEqualTo(262_144);
    assertThat(wire.get(1).has("mac")).isFalse();
  }

  @Test
  void aQueueWithoutRoomForOneSegmentIsRefused() {
    assertThatThrownBy(() -> open(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> open(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
