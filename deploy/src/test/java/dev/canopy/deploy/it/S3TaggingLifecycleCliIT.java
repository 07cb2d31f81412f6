package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aws CLI v2's s3api tagging and lifecycle commands against the built jar: the CLI sends
 * Content-MD5 or a checksum on these bodies, and reads back what it stored.
 */
class S3TaggingLifecycleCliIT {

  private static final String BUCKET = "cli-tags-lifecycle";

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  private static AwsCli.Result s3api(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "s3api";
    System.arraycopy(args, 0, command, 1, args.length);
    return AwsCli.run(cloud.process(), "s3", command);
  }

  private static String text(String... args) throws Exception {
    return s3api(args).assertOk().stdout().trim();
  }

  @Test
  void tagsAndLifecycleRulesRoundTripThroughTheCli() throws Exception {
    Path body = Files.writeString(dir.resolve("a.txt"), "hello\n");
    s3api("create-bucket", "--bucket", BUCKET).assertOk();
    s3api("put-object", "--bucket", BUCKET, "--key", "a.txt", "--body", body.toString(), "--tagging", "album=summer").assertOk();
    assertThat(text("get-object-tagging", "--bucket", BUCKET, "--key", "a.txt", "--query", "TagSet[0].Value", "--output", "text"))
        .isEqualTo("summer");
    s3api("put-object-tagging", "--bucket", BUCKET, "--key", "a.txt", "--tagging", "TagSet=[{Key=team,Value=blue}]").assertOk();
    assertThat(text("get-object-tagging", "--bucket", BUCKET, "--key", "a.txt", "--query", "TagSet[].[Key,Value]", "--output", "text"))
        .isEqualTo("team\tblue");
    AwsCli.Result reserved = s3api("put-object-tagging", "--bucket", BUCKET, "--key", "a.txt", "--tagging",
        "TagSet=[{Key=aws:owner,Value=me}]");
    assertThat(reserved.exit()).isNotZero();
    assertThat(reserved.stderr()).contains("InvalidTag");

    s3api("put-bucket-tagging", "--bucket", BUCKET, "--tagging", "TagSet=[{Key=cost-center,Value=42}]").assertOk();
    assertThat(text("get-bucket-tagging", "--bucket", BUCKET, "--query", "TagSet[0].Value", "--output", "text")).isEqualTo("42");

    Path rules = Files.writeString(dir.resolve("rules.json"), """
        {"Rules": [
          {"ID": "logs-30d", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}},
          {"ID": "stale-uploads", "Status": "Enabled", "Filter": {"Prefix": ""},
           "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}
        ]}
        """);
    s3api("put-bucket-lifecycle-configuration", "--bucket", BUCKET, "--lifecycle-configuration", "file://" + rules).assertOk();
    assertThat(text("get-bucket-lifecycle-configuration", "--bucket", BUCKET, "--query",
        "Rules[].[ID,Filter.Prefix,Expiration.Days,AbortIncompleteMultipartUpload.DaysAfterInitiation]", "--output", "text"))
        .isEqualTo("logs-30d\tlogs/\t30\tNone\nstale-uploads\t\tNone\t7");
    s3api("delete-bucket-lifecycle", "--bucket", BUCKET).assertOk();
    AwsCli.Result none = s3api("get-bucket-lifecycle-configuration", "--bucket", BUCKET);
    assertThat(none.exit()).isNotZero();
    assertThat(none.stderr()).contains("NoSuchLifecycleConfiguration");
  }
}
