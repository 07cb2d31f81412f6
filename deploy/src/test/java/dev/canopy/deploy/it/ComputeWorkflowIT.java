package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A tenant's compute workflow with the aws CLI v2 against the cloud in a box, whose node agent
 * (same JVM, enrolled over loopback mTLS) drives libvirt's test driver.
 */
// Alone: after a restart of the cloud in a box, commands have been seen not to reach its node
// agent when the machine is loaded (not explained yet; the closing note of issue 17 says so).
@Isolated
class ComputeWorkflowIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static CanopyProcess canopy;

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    canopy.close();
  }

  static JsonNode ec2(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("ec2"));
    all.addAll(List.of(args));
    all.addAll(List.of("--output", "json"));
    String out = AwsCli.run(canopy, "ec2", all.toArray(String[]::new)).assertOk().stdout();
    return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
  }

  @Test
  void keyPairGroupRunDescribeStopStartTerminate() throws Exception {
    JsonNode key = ec2("create-key-pair", "--key-name", "workflow-key");
    assertThat(key.path("KeyMaterial").asText()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(key.path("KeyFingerprint").asText()).matches("([0-9a-f]{2}:){19}[0-9a-f]{2}");

    String group = ec2("create-security-group", "--group-name", "web", "--description", "web servers").path("GroupId").asText();
    assertThat(group).startsWith("sg-");
    ec2("authorize-security-group-ingress", "--group-id", group, "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0");

    JsonNode images = ec2("describe-images", "--filters", "Name=name,Values=canopy-tiny");
    String image = images.path("Images").get(0).path("ImageId").asText();
    assertThat(image).startsWith("ami-");

    JsonNode run = ec2("run-instances", "--image-id", image, "--instance-type", "t3.micro", "--count", "2",
        "--key-name", "workflow-key", "--security-group-ids", group,
        "--tag-specifications", "ResourceType=instance,Tags=[{Key=role,Value=web}]");
    List<String> ids = new ArrayList<>();
    run.path("Instances").forEach(i -> ids.add(i.path("InstanceId").asText()));
    assertThat(ids).hasSize(2).allMatch(id -> id.matches("i-[0-9a-f]{17}"));

    List<String> waitArgs = new ArrayList<>(List.of("wait", "instance-running", "--instance-ids"));
    waitArgs.addAll(ids);
    ec2(waitArgs.toArray(String[]::new));

    JsonNode described = ec2("describe-instances", "--filters", "Name=tag:role,Values=web", "Name=instance-state-name,Values=running");
    List<String> found = new ArrayList<>();
    described.path("Reservations").forEach(r -> r.path("Instances").forEach(i -> {
      found.add(i.path("InstanceId").asText());
      assertThat(i.path("KeyName").asText()).isEqualTo("workflow-key");
      assertThat(i.path("SecurityGroups").get(0).path("GroupId").asText()).isEqualTo(group);
      assertThat(i.path("Placement").path("AvailabilityZone").asText()).isEqualTo(canopy.region() + "a");
    }));
    assertThat(found).containsExactlyInAnyOrderElementsOf(ids);

    // A group in use cannot be deleted.
    AwsCli.Result refused = AwsCli.run(canopy, "ec2", "ec2", "delete-security-group", "--group-id", group);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.stderr()).contains("DependencyViolation");

    String first = ids.get(0);
    ec2("stop-instances", "--instance-ids", first);
    ec2("wait", "instance-stopped", "--instance-ids", first);
    ec2("start-instances", "--instance-ids", first);
    ec2("wait", "instance-running", "--instance-ids", first);
    ec2("reboot-instances", "--instance-ids", first);

    List<String> terminate = new ArrayList<>(List.of("terminate-instances", "--instance-ids"));
    terminate.addAll(ids);
    JsonNode terminated = ec2(terminate.toArray(String[]::new));
    assertThat(terminated.path("TerminatingInstances")).hasSize(2);
    List<String> waitGone = new ArrayList<>(List.of("wait", "instance-terminated", "--instance-ids"));
    waitGone.addAll(ids);
    ec2(waitGone.toArray(String[]::new));
    ec2("delete-security-group", "--group-id", group);
    ec2("delete-key-pair", "--key-name", "workflow-key");
  }

  @Test
  void computeStateSurvivesARestart() throws Exception {
    ec2("create-key-pair", "--key-name", "kept-key");
    String group = ec2("create-security-group", "--group-name", "kept", "--description", "kept").path("GroupId").asText();
    String image = ec2("describe-images", "--filters", "Name=name,Values=canopy-tiny").path("Images").get(0).path("ImageId").asText();
    String id = ec2("run-instances", "--image-id", image, "--security-group-ids", group, "--key-name", "kept-key",
        "--tag-specifications", "ResourceType=instance,Tags=[{Key=kept,Value=yes}]").path("Instances").get(0).path("InstanceId").asText();
    ec2("wait", "instance-running", "--instance-ids", id);

    canopy.restart();

    assertThat(ec2("describe-key-pairs", "--key-names", "kept-key").path("KeyPairs")).hasSize(1);
    assertThat(ec2("describe-security-groups", "--group-ids", group).path("SecurityGroups")).hasSize(1);
    JsonNode after = ec2("describe-instances", "--instance-ids", id).path("Reservations").get(0).path("Instances").get(0);
    assertThat(after.path("InstanceId").asText()).isEqualTo(id);
    assertThat(after.path("Tags").get(0).path("Key").asText()).isEqualTo("kept");
    assertThat(ec2("describe-images", "--image-ids", image).path("Images")).hasSize(1);
    ec2("terminate-instances", "--instance-ids", id);
    ec2("wait", "instance-terminated", "--instance-ids", id);
  }

  @Test
  void registerImageTakesAnObjectTheTenantOwns() throws Exception {
    java.nio.file.Path disk = java.nio.file.Files.write(dir.resolve("disk.img"), new byte[64 * 1024]);
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://my-images").assertOk();
    AwsCli.run(canopy, "s3", "s3", "cp", disk.toString(), "s3://my-images/disk.img").assertOk();

    String image = ec2("register-image", "--name", "my-disk", "--image-location", "my-images/disk.img").path("ImageId").asText();
    assertThat(image).matches("ami-[0-9a-f]{17}");
    assertThat(ec2("describe-images", "--owners", "self").path("Images").get(0).path("ImageLocation").asText())
        .isEqualTo("my-images/disk.img");

    for (String location : List.of("my-images/missing.img", "canopy-system-images/tiny/root.img", "no-slash")) {
      AwsCli.Result refused = AwsCli.run(canopy, "ec2", "ec2", "register-image", "--name", "bad-" + location.length(), "--image-location", location);
      assertThat(refused.exit()).as(location).isNotZero();
      assertThat(refused.stderr()).as(location).contains("InvalidParameterValue");
    }
    ec2("deregister-image", "--image-id", image);
    AwsCli.run(canopy, "s3", "s3", "rb", "--force", "s3://my-images").assertOk();
  }
}
