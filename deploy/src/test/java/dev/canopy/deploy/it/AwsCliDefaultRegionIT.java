package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The aws CLI v2 with keys from the environment and its default region, us-east-1: s3 sync both ways and s3 presign. */
class AwsCliDefaultRegionIT {

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  @Test
  void syncUpSyncDownAndPresign() throws Exception {
    Path tree = ToolTrees.small(dir.resolve("tree"));
    aws("s3", "mb", "s3://cli-default-region");
    aws("s3", "sync", tree.toString(), "s3://cli-default-region/tree");
    Path back = dir.resolve("back");
    aws("s3", "sync", "s3://cli-default-region/tree", back.toString());
    assertThat(Files.mismatch(tree.resolve("sub/b.bin"), back.resolve("sub/b.bin"))).isEqualTo(-1L);
    assertThat(Files.readString(back.resolve("a.txt"))).isEqualTo("hello\n");

    String url = aws("s3", "presign", "s3://cli-default-region/tree/a.txt", "--expires-in", "300").trim();
    assertThat(url).contains("us-east-1");
    HttpResponse<String> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("hello\n");
  }

  private String aws(String... args) throws Exception {
    ExternalTool.require(AwsCli.AWS.toString(), "awscli");
    CanopyProcess canopy = cloud.process();
    Credential tenant = TenantClients.firstTenant(canopy);
    List<String> command = new ArrayList<>(List.of(AwsCli.AWS.toString(), "--endpoint-url", canopy.endpoint("s3")));
    command.addAll(List.of(args));
    Map<String, String> environment = Map.of(
        "AWS_ACCESS_KEY_ID", tenant.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", tenant.secretAccessKey(),
        "AWS_CONFIG_FILE", "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
        "AWS_EC2_METADATA_DISABLED", "true",
        "HOME", dir.toString());
    return ExternalTool.run(command, environment, dir).assertOk().stdout();
  }
}
