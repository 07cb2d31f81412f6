package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's s3cmd with no configuration file, path style through {@code --host-bucket} set to the
 * endpoint itself (its default region, US, signs as us-east-1): mb, put (small and multipart), ls,
 * get, del.
 */
class S3cmdIT {

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  @Test
  void makeBucketPutListGetDelete() throws Exception {
    Path small = ToolTrees.small(dir.resolve("tree")).resolve("sub/b.bin");
    Path big = dir.resolve("big.bin");
    byte[] data = new byte[16 * 1024 * 1024 + 100]; // above s3cmd's 15 MiB part size: a multipart upload
    new Random(16).nextBytes(data);
    Files.write(big, data);

    assertThat(s3cmd("mb", "s3://s3cmd-bucket")).contains("created");
    s3cmd("put", small.toString(), "s3://s3cmd-bucket/b.bin");
    s3cmd("put", big.toString(), "s3://s3cmd-bucket/big.bin");
    assertThat(s3cmd("ls", "s3://s3cmd-bucket")).contains("s3://s3cmd-bucket/b.bin").contains("s3://s3cmd-bucket/big.bin");
    assertThat(s3cmd("ls")).contains("s3://s3cmd-bucket");

    s3cmd("get", "s3://s3cmd-bucket/big.bin", dir.resolve("big-back.bin").toString());
    assertThat(Files.mismatch(big, dir.resolve("big-back.bin"))).isEqualTo(-1L);
    s3cmd("get", "s3://s3cmd-bucket/b.bin", dir.resolve("b-back.bin").toString());
    assertThat(Files.mismatch(small, dir.resolve("b-back.bin"))).isEqualTo(-1L);

    s3cmd("del", "s3://s3cmd-bucket/b.bin");
    assertThat(s3cmd("ls", "s3://s3cmd-bucket")).doesNotContain("b.bin\n").contains("big.bin");
  }

  private String s3cmd(String... args) throws Exception {
    ExternalTool.require("s3cmd", "s3cmd");
    CanopyProcess canopy = cloud.process();
    Credential tenant = TenantClients.firstTenant(canopy);
    URI endpoint = URI.create(canopy.endpoint("s3"));
    String host = endpoint.getHost() + ":" + endpoint.getPort();
    List<String> command = new ArrayList<>(List.of("s3cmd", "--config=/dev/null", "--no-ssl",
        "--access_key=" + tenant.accessKeyId(), "--secret_key=" + tenant.secretAccessKey(),
        "--host=" + host, "--host-bucket=" + host));
    command.addAll(List.of(args));
    return ExternalTool.run(command, Map.of("HOME", dir.toString()), dir).assertOk().stdout();
  }
}
