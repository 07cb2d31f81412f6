package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/s3-compatibility.md's versioning example with the aws CLI v2 against the built jar: enable
 * versioning, write twice, list the versions, read the old one, delete, see the delete marker,
 * and remove it to bring the object back.
 */
class S3VersioningCliIT {

  private static final String BUCKET = "cli-versioning";

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  private static AwsCli.Result s3api(String... args) throws Exception {
    return AwsCli.s3api(cloud.process(), args);
  }

  private static String text(String... args) throws Exception {
    return s3api(args).assertOk().stdout().trim();
  }

  @Test
  void theDocumentedVersioningExampleWorksEndToEnd() throws Exception {
    s3api("create-bucket", "--bucket", BUCKET).assertOk();
    s3api("put-bucket-versioning", "--bucket", BUCKET, "--versioning-configuration", "Status=Enabled").assertOk();
    assertThat(text("get-bucket-versioning", "--bucket", BUCKET, "--query", "Status", "--output", "text"))
        .isEqualTo("Enabled");

    Path first = Files.writeString(dir.resolve("v1.txt"), "first\n");
    Path second = Files.writeString(dir.resolve("v2.txt"), "second\n");
    String v1 = text("put-object", "--bucket", BUCKET, "--key", "notes.txt", "--body", first.toString(),
        "--query", "VersionId", "--output", "text");
    String v2 = text("put-object", "--bucket", BUCKET, "--key", "notes.txt", "--body", second.toString(),
        "--query", "VersionId", "--output", "text");
    assertThat(v1).isNotEqualTo(v2).isNotEqualTo("None");

    assertThat(text("list-object-versions", "--bucket", BUCKET, "--query", "Versions[].[VersionId,IsLatest]",
        "--output", "text")).isEqualTo(v2 + "\tTrue\n" + v1 + "\tFalse");

    Path out = dir.resolve("old.txt");
    s3api("get-object", "--bucket", BUCKET, "--key", "notes.txt", "--version-id", v1, out.toString()).assertOk();
    assertThat(Files.readString(out)).isEqualTo("first\n");

    String marker = text("delete-object", "--bucket", BUCKET, "--key", "notes.txt", "--query",
        "[DeleteMarker,VersionId]", "--output", "text");
    assertThat(marker).startsWith("True\t");
    String markerId = marker.substring("True\t".length());
    AwsCli.Result gone = s3api("head-object", "--bucket", BUCKET, "--key", "notes.txt");
    assertThat(gone.exit()).isNotZero();
    assertThat(text("list-object-versions", "--bucket", BUCKET, "--query", "DeleteMarkers[].[VersionId,IsLatest]",
        "--output", "text")).isEqualTo(markerId + "\tTrue");

    s3api("delete-object", "--bucket", BUCKET, "--key", "notes.txt", "--version-id", markerId).assertOk();
    s3api("get-object", "--bucket", BUCKET, "--key", "notes.txt", out.toString()).assertOk();
    assertThat(Files.readString(out)).isEqualTo("second\n");
  }
}
