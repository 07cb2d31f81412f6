package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant's everyday tool: the real {@code aws} CLI v2 (Debian's, at /usr/bin/aws; an older
 * v1 may come first on PATH) for mb, cp (single and multipart), ls, s3-to-s3 copy, sync, rm
 * --recursive and rb. Fails, naming the package, where the CLI is not installed: CI installs
 * Debian's awscli, and a silently skipped client test would prove nothing.
 */
class S3AwsCliTest {

  private static final String AWS = "/usr/bin/aws";

  @TempDir static Path dir;
  @TempDir static Path files;
  static S3TestServer s3;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(Path.of(AWS))) {
      throw new AssertionError(AWS + " is missing: install Debian's awscli package (deploy/run-tests does as root)");
    }
    s3 = new S3TestServer(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  /** Runs one CLI command; returns stdout, failing the test on a non-zero exit. */
  private static String aws(String... args) throws Exception {
    return awsExpect(0, args);
  }

  private static String awsExpect(int exitCode, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(AWS, "--endpoint-url", s3.endpoint().toString(), "--no-cli-pager"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", ALICE.accessKeyId());
    builder.environment().put("AWS_SECRET_ACCESS_KEY", ALICE.secretAccessKey());
    builder.environment().put("AWS_DEFAULT_REGION", S3TestServer.REGION);
    builder.environment().put("AWS_CONFIG_FILE", files.resolve("no-config").toString());
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", files.resolve("no-credentials").toString());
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", args) + "\n" + output).isEqualTo(exitCode);
    return output;
  }

  @Test
  void everydayCommands() throws Exception {
    byte[] small = "small file\n".getBytes(StandardCharsets.UTF_8);
    byte[] large = new byte[20 * 1024 * 1024 + 5]; // above the CLI's 8 MiB multipart threshold
    new Random(9).nextBytes(large);
    Path smallFile = Files.write(files.resolve("small.txt"), small);
    Path largeFile = Files.write(files.resolve("large.bin"), large);

    aws("s3", "mb", "s3://cli-bucket");
    aws("s3", "cp", smallFile.toString(), "s3://cli-bucket/dir/small.txt");
    aws("s3", "cp", largeFile.toString(), "s3://cli-bucket/dir/large.bin");
    String listing = aws("s3", "ls", "s3://cli-bucket/dir/");
    assertThat(listing).contains("small.txt").contains("large.bin").contains(Long.toString(large.length));
    assertThat(aws("s3", "ls")).contains("cli-bucket");

    Path back = files.resolve("large.back");
    aws("s3", "cp", "s3://cli-bucket/dir/large.bin", back.toString());
    assertThat(Files.readAllBytes(back)).isEqualTo(large);

    aws("s3", "cp", "s3://cli-bucket/dir/small.txt", "s3://cli-bucket/copy/small.txt");
    Path smallBack = files.resolve("small.back");
    aws("s3", "cp", "s3://cli-bucket/copy/small.txt", smallBack.toString());
    assertThat(Files.readAllBytes(smallBack)).isEqualTo(small);

    Path tree = Files.createDirectories(files.resolve("tree/sub"));
    Files.writeString(tree.resolve("a.txt"), "a");
    Files.writeString(tree.getParent().resolve("b.txt"), "b");
    aws("s3", "sync", tree.getParent().toString(), "s3://cli-bucket/synced/");
    assertThat(aws("s3", "ls", "--recursive", "s3://cli-bucket/synced/")).contains("synced/sub/a.txt").contains("synced/b.txt");

    assertThat(aws("s3api", "head-object", "--bucket", "cli-bucket", "--key", "dir/large.bin"))
        .contains("\"ContentLength\": " + large.length).contains("-3\\\"");

    awsExpect(1, "s3", "rb", "s3://cli-bucket"); // BucketNotEmpty
    aws("s3", "rm", "--recursive", "s3://cli-bucket/");
    assertThat(aws("s3", "ls", "--recursive", "s3://cli-bucket/")).isBlank();
    aws("s3", "rb", "s3://cli-bucket");
    assertThat(aws("s3", "ls")).doesNotContain("cli-bucket");
  }
}
