package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.backend.PartInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies mid-write, for real: {@link CrashingWriter} runs in its own JVM and halts
 * without closing the store. The next open must find everything that was acknowledged (a synced
 * commit persists the chunks streamed before it) and delete every blob still marked in progress
 * (docs/architecture.md: "blobs still marked at the next start are deleted").
 */
class CrashRecoveryTest {

  @TempDir Path dir;

  private List<String> crashWriter() throws Exception {
    Path out = dir.resolve("child.out");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CrashingWriter.class.getName(), dir.resolve("store").toString())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ended").isTrue();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();
    assertThat(lines).as("the child got as far as the crash").contains(CrashingWriter.READY);
    return lines;
  }

  private static byte[] readAll(ObjectReader reader) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    while (offset < reader.info().size()) {
      byte[] piece = reader.read(offset, CrashingWriter.MIB);
      assertThat(piece).isNotEmpty();
      out.writeBytes(piece);
      offset += piece.length;
    }
    return out.toByteArray();
  }

  @Test
  void theNextOpenKeepsWhatWasCommittedAndSweepsTheTornBlobs() throws Exception {
    List<String> output = crashWriter();
    String uploadId = output.get(output.indexOf(CrashingWriter.READY) - 1);

    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      // Two blobs were cut off: the object body and the second part.
      assertThat(store.sweptBlobCount()).isEqualTo(2);
      assertThat(StoreProbe.inProgressBlobCount(store)).isZero();
      // What is left: 3 chunks of the object, 2 of the committed part.
      assertThat(StoreProbe.chunkCount(store)).isEqualTo(5);
      // Control-plane records written before the crash are there too.
      assertThat(store.get("accounts", "111111111111")).hasValueSatisfying(
          v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("alice"));

      RocksObjectBackend backend = new RocksObjectBackend(store, CrashingWriter.CLOCK, new Random(6));
      try (ObjectReader reader = backend.open("bkt", "kept")) {
        assertThat(readAll(reader)).isEqualTo(CrashingWriter.committedObject());
      }
      List<PartInfo> parts = backend.listParts("bkt", "mp", uploadId, 0, 1000).parts();
      assertThat(parts).extracting(PartInfo::partNumber).containsExactly(1);
      assertThat(parts.get(0).size()).isEqualTo(CrashingWriter.committedPart().length);

      // The surviving upload still completes into the bytes of its committed part.
      ObjectInfo done = backend.completeUpload("bkt", "mp", uploadId, List.of(new CompletedPart(1, parts.get(0).etag())));
      try (ObjectReader reader = backend.open("bkt", "mp")) {
        assertThat(readAll(reader)).isEqualTo(CrashingWriter.committedPart());
      }
      assertThat(done.size()).isEqualTo(CrashingWriter.committedPart().length);
    }

    // A second open has nothing left to sweep.
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      assertThat(store.sweptBlobCount()).isZero();
      assertThat(StoreProbe.chunkCount(store)).isEqualTo(5);
    }
  }
}
