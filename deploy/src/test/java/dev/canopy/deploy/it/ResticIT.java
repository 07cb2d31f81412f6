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

/** Debian's restic with an {@code s3:} repository, keys and a password only (it signs for us-east-1): init, backup, check, restore. */
class ResticIT {

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  @Test
  void initBackupCheckRestore() throws Exception {
    ToolTrees.small(dir.resolve("tree"));
    restic("init");
    assertThat(restic("backup", "tree")).contains("snapshot").contains("saved");
    assertThat(restic("check")).contains("no errors were found");
    restic("restore", "latest", "--target", "restored");
    for (String file : List.of("a.txt", "sub/b.bin")) {
      assertThat(Files.mismatch(dir.resolve("tree").resolve(file), dir.resolve("restored/tree").resolve(file))).as(file).isEqualTo(-1L);
    }
  }

  private String restic(String... args) throws Exception {
    ExternalTool.require("restic", "restic");
    CanopyProcess canopy = cloud.process();
    Credential tenant = TenantClients.firstTenant(canopy);
    List<String> command = new ArrayList<>(List.of("restic", "--no-cache"));
    command.addAll(List.of(args));
    Map<String, String> environment = Map.of(
        "RESTIC_REPOSITORY", "s3:" + canopy.endpoint("s3") + "/restic-bucket/repo",
        "RESTIC_PASSWORD", "correct horse battery staple",
        "AWS_ACCESS_KEY_ID", tenant.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", tenant.secretAccessKey(),
        "HOME", dir.toString());
    return ExternalTool.run(command, environment, dir).assertOk().stdout();
  }
}
