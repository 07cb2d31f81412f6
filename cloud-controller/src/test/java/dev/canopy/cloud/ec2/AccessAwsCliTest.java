package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.keypairs.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aws CLI v2 (Debian's {@code /usr/bin/aws}) against the key-pair and security-group
 * families. The CLI is a required tool: when it is missing this test fails, it never skips.
 */
class AccessAwsCliTest {

  private static final Path AWS = Path.of("/usr/bin/aws");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Ec2TestCloud cloud;
  private NewAccount account;

  @Test
  void keyPairAndSecurityGroupWorkflow() throws Exception {
    assertThat(Files.isExecutable(AWS)).as("the aws CLI v2 at %s (apt-get install awscli)", AWS).isTrue();
    try (Ec2TestCloud started = Ec2TestCloud.start(dir.resolve("cloud"), new AccessFamilies()::build)) {
      cloud = started;
      account = cloud.newAccount("cli");

      JsonNode created = aws("create-key-pair", "--key-name", "cli-key", "--key-type", "ed25519");
      assertThat(created.path("KeyMaterial").asText()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
      String fingerprint = created.path("KeyFingerprint").asText();
      JsonNode described = aws("describe-key-pairs", "--key-names", "cli-key", "--include-public-key");
      assertThat(described.path("KeyPairs").get(0).path("KeyFingerprint").asText()).isEqualTo(fingerprint);
      assertThat(described.path("KeyPairs").get(0).path("PublicKey").asText()).startsWith("ssh-ed25519 ");

      Path pub = dir.resolve("id.pub");
      Files.writeString(pub, "ssh-ed25519 " + SshKeys.generateEd25519(new SecureRandom()).publicKeyBase64() + " me@laptop\n");
      JsonNode imported = aws("import-key-pair", "--key-name", "cli-imported", "--public-key-material", "fileb://" + pub);
      assertThat(imported.path("KeyPairId").asText()).startsWith("key-");
      aws("delete-key-pair", "--key-name", "cli-key");
      assertThat(aws("describe-key-pairs").path("KeyPairs")).extracting(k -> k.path("KeyName").asText())
          .containsExactly("cli-imported");

      String groupId = aws("create-security-group", "--group-name", "cli-sg", "--description", "from the CLI").path("GroupId").asText();
      assertThat(groupId).startsWith("sg-");
      JsonNode authorized = aws("authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "22",
          "--cidr", "10.0.0.0/8");
      assertThat(authorized.path("Return").asBoolean()).isTrue();
      JsonNode group = aws("describe-security-groups", "--group-ids", groupId).path("SecurityGroups").get(0);
      assertThat(group.path("GroupName").asText()).isEqualTo("cli-sg");
      JsonNode permission = group.path("IpPermissions").get(0);
      assertThat(permission.path("IpProtocol").asText()).isEqualTo("tcp");
      assertThat(permission.path("FromPort").asInt()).isEqualTo(22);
      assertThat(permission.path("ToPort").asInt()).isEqualTo(22);
      assertThat(permission.path("IpRanges").get(0).path("CidrIp").asText()).isEqualTo("10.0.0.0/8");
      assertThat(group.path("IpPermissionsEgress").get(0).path("IpProtocol").asText()).isEqualTo("-1");
    }
  }

  private JsonNode aws(String... ec2Args) throws Exception {
    List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", cloud.endpoint().toString(),
        "--output", "json", "ec2"));
    command.addAll(List.of(ec2Args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    Map<String, String> env = builder.environment();
    // Only what the test passes: no profile, config or metadata lookups from the machine.
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", account.credential().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", account.credential().secretAccessKey());
    env.put("AWS_DEFAULT_REGION", Ec2TestCloud.REGION);
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_PAGER", "");
    builder.redirectError(dir.resolve("aws.err").toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("aws %s finished", List.of(ec2Args)).isTrue();
    assertThat(process.exitValue()).as("aws %s: %s", List.of(ec2Args), Files.readString(dir.resolve("aws.err"))).isZero();
    return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
  }
}
