package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's rclone, configured with nothing but provider, endpoint and keys (it signs for
 * us-east-1, its default region): copy, ls, sync, delete and copy back.
 */
class RcloneIT {

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  @Test
  void copyListSyncDeleteAndCopyBack() throws Exception {
    Path tree = ToolTrees.small(dir.resolve("tree"));
    String remote = "canopy:rclone-bucket/tree";
    rclone("mkdir", "canopy:rclone-bucket");
    rclone("copy", tree.toString(), remote);
    assertThat(rclone("ls", remote)).contains("a.txt").contains("sub/b.bin");

    Files.delete(tree.resolve("a.txt"));
    Files.writeString(tree.resolve("c.txt"), "added\n");
    rclone("sync", tree.toString(), remote);
    String synced = rclone("ls", remote);
    assertThat(synced).contains("c.txt").contains("sub/b.bin").doesNotContain("a.txt");

    rclone("delete", remote + "/c.txt");
    assertThat(rclone("ls", remote)).doesNotContain("c.txt").contains("sub/b.bin");
    Path back = dir.resolve("back");
    rclone("copy", remote, back.toString());
    assertThat(Files.mismatch(tree.resolve("sub/b.bin"), back.resolve("sub/b.bin"))).isEqualTo(-1L);
  }

  private String rclone(String... args) throws Exception {
    ExternalTool.require("rclone", "rclone");
    CanopyProcess canopy = cloud.process();
    Credential tenant = TenantClients.firstTenant(canopy);
    List<String> command = new ArrayList<>(List.of("rclone", "--retries", "1"));
    command.addAll(List.of(args));
    // A remote named "canopy" defined only through rclone's environment variables: no config file.
    Map<String, String> environment = Map.of(
        "RCLONE_CONFIG", "/dev/null",
        "RCLONE_CONFIG_CANOPY_TYPE", "s3",
        "RCLONE_CONFIG_CANOPY_PROVIDER", "Other",
        "RCLONE_CONFIG_CANOPY_ENDPOINT", canopy.endpoint("s3"),
        "RCLONE_CONFIG_CANOPY_ACCESS_KEY_ID", tenant.accessKeyId(),
        "RCLONE_CONFIG_CANOPY_SECRET_ACCESS_KEY", tenant.secretAccessKey());
    return ExternalTool.run(command, environment, dir).assertOk().stdout();
  }
}
