package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The clients tenants run outside Java, as separate processes signed with Alice's keys: the aws
 * CLI v2 (Debian's, at /usr/bin/aws: an older v1 may come first on PATH) and boto3 (Debian's
 * python3-boto3). A missing one fails the test, naming the package: a silently skipped client
 * test would prove nothing.
 */
final class ExternalS3Clients {

  private static final String AWS = "/usr/bin/aws";
  private static final String PYTHON = "/usr/bin/python3";
  private static final long PROCESS_SECONDS_MAX = 120;

  private final URI endpoint;
  private final Path scratch;

  /** @param scratch a folder for the empty config and credential files the tools are pointed at */
  ExternalS3Clients(URI endpoint, Path scratch) {
    this.endpoint = endpoint;
    this.scratch = scratch;
  }

  /** Runs {@code aws --endpoint-url ... args}; returns stdout, failing the test on a non-zero exit. */
  String aws(String... args) throws Exception {
    require(AWS, "awscli");
    List<String> command = new ArrayList<>(List.of(AWS, "--endpoint-url", endpoint.toString(), "--no-cli-pager"));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Runs a Python script with boto3; it gets {@code s3}, a path-style client of the endpoint, and
   * {@code args}. Returns stdout, failing the test on a non-zero exit.
   */
  String boto3(String script, String... args) throws Exception {
    require(PYTHON, "python3-boto3");
    String prelude = String.join("\n",
        "import sys, boto3, botocore.config",
        "s3 = boto3.client('s3', endpoint_url=sys.argv[1],",
        "    config=botocore.config.Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))",
        "args = sys.argv[2:]",
        "");
    List<String> command = new ArrayList<>(List.of(PYTHON, "-c", prelude + script, endpoint.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  private String run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(Map.of(
        "AWS_ACCESS_KEY_ID", ALICE.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", ALICE.secretAccessKey(),
        "AWS_DEFAULT_REGION", S3TestServer.REGION,
        "AWS_CONFIG_FILE", scratch.resolve("no-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", scratch.resolve("no-credentials").toString(),
        "AWS_EC2_METADATA_DISABLED", "true"));
    Process process = builder.start();
    // Both streams are small (JSON, a line of figures): read one after the other.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output + errors).isZero();
    return output;
  }

  private static void require(String program, String debianPackage) {
    if (!Files.isExecutable(Path.of(program))) {
      throw new AssertionError(program + " is missing: install Debian's " + debianPackage + " package");
    }
  }
}
