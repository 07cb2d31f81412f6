package dev.canopy.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path dir;

  @Test
  void theContentIsReplacedWholeAndNoTemporaryFileIsLeft() throws IOException {
    Path file = dir.resolve("epoch");
    DurableFiles.write(file, bytes("first, and longer than the second\n"));
    DurableFiles.write(file, bytes("2\n"));

    assertThat(Files.readString(file)).isEqualTo("2\n");
    assertThat(names()).containsExactly("epoch");
  }

  @Test
  void anOwnerOnlyFileIsMode0600WhateverTheUmaskAndAnEarlierFileWas() throws IOException {
    Path file = dir.resolve("node.key");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    DurableFiles.writeOwnerOnly(file, bytes("secret"));

    assertOwnerOnlyWith(file, "secret");
  }

  @Test
  void aLeftoverTemporaryFileWithAWiderModeIsReplacedNotReused() throws IOException {
    Path file = dir.resolve("credentials");
    Path leftover = dir.resolve("credentials.tmp");
    Files.writeString(leftover, "half of an earlier write");
    Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));

    DurableFiles.writeOwnerOnly(file, bytes("whole"));

    assertOwnerOnlyWith(file, "whole");
    assertThat(leftover).doesNotExist();
  }

  @Test
  void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("state.json");
    DurableFiles.write(file, bytes("{\"sequence\":41}"));

    IOException diskFull = new IOException("No space left on device");
    assertThatThrownBy(() -> DurableFiles.write(file, dir.resolve(".state.json.tmp"), out -> {
      out.write(bytes("{\"seque"));
      throw diskFull;
    }, null)).isSameAs(diskFull);

    assertThat(Files.readString(file)).isEqualTo("{\"sequence\":41}");
    assertThat(names()).containsExactly("state.json");
  }

  @Test
  void aRenameThatFailsLeavesTheOldTargetAndNoTemporaryFile() throws IOException {
    // A non-empty directory cannot be replaced by a rename: the write fails at its last step.
    Path target = dir.resolve("busy");
    Files.createDirectories(target.resolve("inside"));

    assertThatThrownBy(() -> DurableFiles.write(target, bytes("x"))).isInstanceOf(IOException.class);

    assertThat(target.resolve("inside")).isDirectory();
    assertThat(names()).containsExactly("busy");
  }

  @Test
  void theTemporaryFileMustBeInTheTargetsDirectory() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    assertThatThrownBy(() -> DurableFiles.write(dir.resolve("a"), elsewhere.resolve("a.tmp"), bytes("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingDirectoryIsCreated() throws IOException {
    Path file = dir.resolve("keys/master.key");
    DurableFiles.writeOwnerOnly(file, bytes("k"));
    assertThat(Files.readString(file)).isEqualTo("k");
  }

  @Test
  void aDurableDeleteRemovesAndToleratesAbsence() throws IOException {
    Path file = dir.resolve("pin");
    DurableFiles.write(file, bytes("p"));
    DurableFiles.deleteDurably(file);
    DurableFiles.deleteDurably(file);
    assertThat(file).doesNotExist();
  }

  private static void assertOwnerOnlyWith(Path file, String content) throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo(content);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private java.util.List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
