package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestPathAccessTest {

  private static final int QEMU_UID = 64055;

  @TempDir Path dir;

  @Test
  void onlyTheDirectoriesOthersCannotSearchOnTheWayNeedAGrant() throws Exception {
    Path home = Files.createDirectory(dir.resolve("home"));
    Path data = Files.createDirectories(home.resolve("canopy/data/node"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(home.resolve("canopy"), PosixFilePermissions.fromString("rwxr-x--x"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));

    assertThat(GuestPathAccess.closedTo(data, QEMU_UID)).containsExactly(home, data);
  }
}
