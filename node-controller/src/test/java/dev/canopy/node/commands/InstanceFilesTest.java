package dev.canopy.node.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What terminate deletes on the node's disk: the instance's own directory and nothing beyond it,
 * whatever that directory holds.
 */
class InstanceFilesTest {

  private static final String ID = "i-0123456789abcdef0";

  @TempDir Path dataDir;
  @TempDir Path elsewhere;

  @Test
  void deletingRemovesTheWholeDirectoryAndASecondDeleteIsFine() throws IOException {
    InstanceFiles files = new InstanceFiles(dataDir);
    Path dir = files.create(ID);
    Files.writeString(files.consoleLog(ID), "booted\n");
    Files.createDirectories(dir.resolve("nested/deeper"));
    Files.writeString(dir.resolve("nested/deeper/file"), "x");

    files.delete(ID);
    files.delete(ID);

    assertThat(dir).doesNotExist();
    assertThat(dataDir.resolve("instances")).as("the other instances' parent stays").isDirectory();
  }

  @Test
  void aSymlinkInsideIsRemovedButNeverWhatItPointsTo() throws IOException {
    InstanceFiles files = new InstanceFiles(dataDir);
    Path dir = files.create(ID);
    Path precious = Files.writeString(elsewhere.resolve("precious.txt"), "keep me");
    Files.createDirectories(elsewhere.resolve("tree"));
    Files.writeString(elsewhere.resolve("tree/leaf"), "keep me too");
    Files.createSymbolicLink(files.consoleLog(ID), precious);
    Files.createSymbolicLink(dir.resolve("tree-link"), elsewhere.resolve("tree"));

    files.delete(ID);

    assertThat(dir).doesNotExist();
    assertThat(precious).hasContent("keep me");
    assertThat(elsewhere.resolve("tree/leaf")).hasContent("keep me too");
  }

  @Test
  void aDirectoryHoldingFarMoreThanAnInstanceEverHasIsRefusedWhole() throws IOException {
    InstanceFiles files = new InstanceFiles(dataDir);
    Path dir = files.create(ID);
    for (int i = 0; i < 1_000; i++) {
      Files.createFile(dir.resolve("f" + i));
    }

    assertThatThrownBy(() -> files.delete(ID)).isInstanceOf(IOException.class).hasMessageContaining("more than 1000 files");
    assertThat(dir.resolve("f0")).as("nothing was half deleted").exists();
    assertThat(dir.resolve("f999")).exists();
  }

  @Test
  void onlyEc2ShapedIdsBecomePaths() {
    InstanceFiles files = new InstanceFiles(dataDir);
    for (String bad : new String[] {"..", "i-../../etc", "i-0123456", "i-0123456789ABCDEF0", "i-0123456789abcdef", "", null,
        "i-01234567/x"}) {
      assertThat(InstanceFiles.isInstanceId(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> files.dir(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(files.dir("i-01234567")).isEqualTo(dataDir.resolve("instances/i-01234567"));
    assertThat(files.rootDisk(ID)).isEqualTo(dataDir.resolve("instances/" + ID + "/root.img"));
  }
}
