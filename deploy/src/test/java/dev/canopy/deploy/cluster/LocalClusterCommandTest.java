package dev.canopy.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a local cluster starts its processes: the JVM flags around the jar and the role's arguments. */
class LocalClusterCommandTest {

  @TempDir Path dir;

  @Test
  void aProcessMapsTheClassArchiveBesideTheJarWhenItIsNewerThanTheJar() throws Exception {
    Path jar = Files.writeString(dir.resolve("canopy.jar"), "jar");
    Path archive = Files.writeString(dir.resolve("canopy.jsa"), "archive");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
    Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2026-12-01T00:01:00Z")));

    List<String> command = LocalCluster.command(jar, List.of("controller", "--id", "1"));

    assertThat(command).contains("-XX:SharedArchiveFile=" + archive, LocalCluster.G1_REGION_FLAG);
    assertThat(command.subList(command.indexOf("-jar"), command.size())).containsExactly("-jar", jar.toString(), "controller", "--id", "1");
    assertThat(command).noneMatch(flag -> flag.startsWith("-XX:ArchiveClassesAtExit"));
  }

  @Test
  void anArchiveOlderThanTheJarOrNoneAtAllIsLeftOut() throws Exception {
    Path jar = Files.writeString(dir.resolve("canopy.jar"), "jar");
    assertThat(LocalCluster.command(jar, List.of("node"))).noneMatch(flag -> flag.contains("cds") || flag.contains("SharedArchive"));

    Path archive = Files.writeString(dir.resolve("canopy.jsa"), "archive");
    Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T00:01:00Z")));

    assertThat(LocalCluster.command(jar, List.of("node"))).noneMatch(flag -> flag.contains("SharedArchive"));
  }
}
