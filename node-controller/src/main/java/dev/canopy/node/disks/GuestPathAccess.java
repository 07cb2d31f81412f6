package dev.canopy.node.disks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the user QEMU runs as reach the folders a node keeps its guests' files in (overlays, seeds,
 * cached kernels and images, console logs, the KVM probe's image).
 *
 * <p>Why: libvirt's DAC driver ({@code dynamic_ownership = 1}, qemu.conf's default) hands each file
 * a guest uses to QEMU's user ({@code libvirt-qemu} on Debian) while it runs, but never touches the
 * directories above them. A data folder under {@code /root} or any {@code 0700} folder is therefore
 * unreachable and every start fails ("Cannot access storage file ... (as uid:64055, gid:64055):
 * Permission denied"). The options: {@code chmod o+x} opens those folders to every local user;
 * keeping guest files outside the data folder splits it (and its removal no longer removes them);
 * running QEMU as root gives up libvirt's confinement. A POSIX ACL entry {@code u:<uid>:x} grants
 * exactly what is missing — search, not listing, of each closed directory on the way, to that one
 * user — which is also what virt-manager offers for the same problem.
 */
public final class GuestPathAccess {

  private static final Logger LOG = LoggerFactory.getLogger(GuestPathAccess.class);
  private static final Duration SETFACL_TIMEOUT = Duration.ofSeconds(10);

  private GuestPathAccess() {}

  /**
   * Grants {@code uid} search on every directory from {@code /} down to {@code dir} that does not
   * already let others search it and is not {@code uid}'s own. A failure is logged with what to
   * do by hand, not thrown: the agent still serves, and each failed launch says why in its state reason.
   */
  public static void grantSearch(Path dir, int uid) {
    List<Path> closed;
    try {
      closed = closedTo(dir, uid);
    } catch (IOException e) {
      LOG.warn("cannot read the permissions on the way to {}: {}", dir, e.getMessage());
      return;
    }
    for (Path d : closed) {
      try {
        Tool.runChecked(List.of(setfacl(), "-m", "u:" + uid + ":x", d.toString()), SETFACL_TIMEOUT);
        LOG.info("guest files: QEMU's user (uid {}) may now search {} (ACL u:{}:x) to reach {}", uid, d, uid, dir);
      } catch (IOException e) {
        LOG.warn("guest files: QEMU's user (uid {}) cannot search {}, so guests cannot reach {} and will not start;"
            + " install the acl package, or run 'setfacl -m u:{}:x {}' or 'chmod o+x {}' ({})", uid, d, dir, uid, d, d,
            e.getMessage());
      }
    }
  }

  /** The directories on the way to {@code dir} (itself included) that {@code uid} may not search by their mode bits. */
  static List<Path> closedTo(Path dir, int uid) throws IOException {
    List<Path> closed = new ArrayList<>();
    Path absolute = dir.toAbsolutePath().normalize();
    for (int i = 0; i <= absolute.getNameCount(); i++) {
      Path d = i == 0 ? absolute.getRoot() : absolute.getRoot().resolve(absolute.subpath(0, i));
      PosixFileAttributes attributes = Files.readAttributes(d, PosixFileAttributes.class);
      int owner = (Integer) Files.getAttribute(d, "unix:uid");
      if (!attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE) && owner != uid) {
        closed.add(d);
      }
    }
    return closed;
  }

  private static String setfacl() {
    Path exe = Tool.onPath("setfacl");
    return exe == null ? "setfacl" : exe.toString();
  }
}
