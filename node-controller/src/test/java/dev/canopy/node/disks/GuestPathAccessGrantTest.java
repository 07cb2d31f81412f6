package dev.canopy.node.disks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grant a node makes so QEMU's user reaches guest files, done for real with setfacl (the acl
 * package; CI installs it) and read back with getfacl as an operator would: search and nothing
 * more, for that one user, on exactly the directories that were closed to it.
 */
class GuestPathAccessGrantTest {

  private static final int QEMU_UID = 64055;

  @TempDir Path dir;

  private static String acl(Path p) throws Exception {
    return Tool.runChecked(List.of("getfacl", "-cpn", p.toString()), Duration.ofSeconds(10)).stdout();
  }

  @Test
  void closedDirectoriesOnTheWayGetSearchForQemusUserAndNothingElse() throws Exception {
    assumeTrue(Tool.onPath("setfacl") != null && Tool.onPath("getfacl") != null,
        "setfacl/getfacl are not installed (apt-get install acl; .ci/run installs it)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = Files.createDirectory(dir.resolve("home"));
    Path open = Files.createDirectories(home.resolve("open"));
    Path data = Files.createDirectories(open.resolve("node"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));

    GuestPathAccess.grantSearch(data, QEMU_UID);

    assertThat(acl(home)).contains("user:" + QEMU_UID + ":--x").doesNotContain("user:" + QEMU_UID + ":r");
    assertThat(acl(data)).contains("user:" + QEMU_UID + ":--x");
    assertThat(acl(open)).as("already searchable by others: left as it was").doesNotContain("user:" + QEMU_UID);
    assertThat(acl(dir)).doesNotContain("user:" + QEMU_UID);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
        .as("others still may not list or enter").endsWith("---");
    assertThat(GuestPathAccess.closedTo(data, QEMU_UID)).as("the mode bits are unchanged").containsExactly(home, data);

    GuestPathAccess.grantSearch(data, QEMU_UID); // a restarted agent grants again: harmless
    assertThat(acl(home).lines().filter(l -> l.startsWith("user:" + QEMU_UID))).hasSize(1);
  }

  @Test
  void aDirectoryQemusUserOwnsNeedsNoGrant() throws Exception {
    Path own = Files.createDirectory(dir.resolve("own"));
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(own, "unix:uid", QEMU_UID);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(GuestPathAccess.closedTo(own, QEMU_UID)).isEmpty();
    assertThat(GuestPathAccess.closedTo(own, QEMU_UID + 1)).containsExactly(own);
  }
}
