package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins on disk: what a restart reads back, what it ignores, and what a caller may not pin. */
class PinStoreTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);

  @TempDir Path dir;

  private static String digest(int i) {
    return String.format("%064x", i);
  }

  @Test
  void aReloadFindsEveryHoldersPins() throws IOException {
    PinStore store = PinStore.load(dir);
    store.put("i-00000001", List.of(A, B));
    store.put("i-00000002", List.of(B, C));

    PinStore reloaded = PinStore.load(dir);

    assertThat(reloaded.pinsOf("i-00000001")).isEqualTo(Set.of(A, B));
    assertThat(reloaded.pinsOf("i-00000002")).isEqualTo(Set.of(B, C));
    assertThat(reloaded.pinnedDigests()).isEqualTo(Set.of(A, B, C));
  }

  @Test
  void anEmptySetPinsNothingButIsKept() throws IOException {
    PinStore store = PinStore.load(dir);
    store.put("i-00000001", List.of());

    assertThat(PinStore.load(dir).pinsOf("i-00000001")).isEmpty();
    assertThat(dir.resolve("i-00000001")).exists();
  }

  @Test
  void removingAHolderForgetsItOnDiskToo() throws IOException {
    PinStore store = PinStore.load(dir);
    store.put("i-00000001", List.of(A));
    store.remove("i-00000001");
    store.remove("i-00000009");

    assertThat(store.pinnedDigests()).isEmpty();
    assertThat(PinStore.load(dir).pinsOf("i-00000001")).isEmpty();
    assertThat(dir.resolve("i-00000001")).doesNotExist();
  }

  @Test
  void puttingTheSamePinsAgainDoesNotRewriteTheFile() throws IOException {
    PinStore store = PinStore.load(dir);
    store.put("i-00000001", List.of(A, B));
    FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(dir.resolve("i-00000001"), past);

    store.put("i-00000001", List.of(B, A, B));

    assertThat(Files.getLastModifiedTime(dir.resolve("i-00000001"))).isEqualTo(past);
  }

  @Test
  void linesThatAreNotDigestsAndFilesThatAreNotHoldersAreIgnored() throws IOException {
    Files.writeString(dir.resolve("i-00000001"), A + "\n  " + B + "  \nnot-a-digest\n" + A.toUpperCase() + "\n\n");
    Files.writeString(dir.resolve(".hidden"), C + "\n");
    Files.createDirectory(dir.resolve("i-00000003"));
    Path leftover = Files.writeString(dir.resolve(".tmp-i-00000002"), C + "\n");

    PinStore store = PinStore.load(dir);

    assertThat(store.pinsOf("i-00000001")).isEqualTo(Set.of(A, B));
    assertThat(store.pinnedDigests()).isEqualTo(Set.of(A, B));
    assertThat(leftover).doesNotExist();
    assertThat(dir.resolve(".hidden")).exists();
  }

  @Test
  void anOversizedPinFileStopsTheLoad() throws IOException {
    Files.writeString(dir.resolve("i-00000001"), (A + "\n").repeat(100));

    assertThatThrownBy(() -> PinStore.load(dir)).isInstanceOf(IOException.class).hasMessageContaining("i-00000001");
  }

  @Test
  void aHolderMayPinAtMostTheLimitAndAFailedPutChangesNothing() throws IOException {
    PinStore store = PinStore.load(dir);
    List<String> most = new ArrayList<>();
    for (int i = 0; i < PinStore.DIGESTS_PER_HOLDER_MAX; i++) {
      most.add(digest(i));
    }
    store.put("i-00000001", most);
    List<String> tooMany = new ArrayList<>(most);
    tooMany.add(digest(PinStore.DIGESTS_PER_HOLDER_MAX));

    assertThatThrownBy(() -> store.put("i-00000001", tooMany))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(PinStore.DIGESTS_PER_HOLDER_MAX));
    assertThatThrownBy(() -> store.put("i-00000001", List.of(A, "A".repeat(64))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.pinsOf("i-00000001")).hasSize(PinStore.DIGESTS_PER_HOLDER_MAX);
    assertThat(PinStore.load(dir).pinsOf("i-00000001")).isEqualTo(Set.copyOf(most));
  }

  @Test
  void aFailedPutWritesNoFile() throws IOException {
    PinStore store = PinStore.load(dir);

    assertThatThrownBy(() -> store.put("i-00000001", List.of("short"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put("../i-00000001", List.of(A))).isInstanceOf(IllegalArgumentException.class);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
