package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side copies as the tools make them: the aws CLI v2's {@code s3 cp s3://… s3://…} (above
 * 8 MiB: UploadPartCopy of ranges, and GetObjectTagging to carry tags over) and boto3's managed
 * {@code client.copy()}; both of a 20 MiB object.
 */
class S3CopyToolsIT {

  private static final int SIZE_BYTES = 20 * 1024 * 1024;

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  @Test
  void awsCliCopiesABigObjectFromBucketToBucket() throws Exception {
    CanopyProcess canopy = cloud.process();
    byte[] data = new byte[SIZE_BYTES];
    new Random(20).nextBytes(data);
    Path big = dir.resolve("big.bin");
    Files.write(big, data);
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://cli-a").assertOk();
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://cli-b").assertOk();
    AwsCli.run(canopy, "s3", "s3", "cp", big.toString(), "s3://cli-a/big").assertOk();

    AwsCli.run(canopy, "s3", "s3", "cp", "s3://cli-a/big", "s3://cli-b/big").assertOk();

    Path back = dir.resolve("back.bin");
    AwsCli.run(canopy, "s3", "s3", "cp", "s3://cli-b/big", back.toString()).assertOk();
    assertThat(Files.mismatch(big, back)).isEqualTo(-1L);
    // A multipart copy: the ETag names its parts.
    String head = AwsCli.run(canopy, "s3", "s3api", "head-object", "--bucket", "cli-b", "--key", "big").assertOk().stdout();
    assertThat(head).containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-\\d+\\\\\"\"");
  }

  @Test
  void boto3ManagedCopyOfABigObject() throws Exception {
    ExternalTool.Result result = Boto3.run(cloud.process(), "copy", Map.of()).assertOk();
    assertThat(result.stdout()).contains("copied " + SIZE_BYTES + " bytes").contains("ok");
  }
}
