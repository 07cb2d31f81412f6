package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Public objects and bucket policies as a user makes them with the aws CLI v2, checked from outside
 * with an unsigned curl and the CLI's {@code --no-sign-request}.
 */
class S3AccessToolsIT {

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();
  @TempDir Path dir;

  @Test
  void aCannedPublicReadObjectIsReadableWithoutSigning() throws Exception {
    CanopyProcess canopy = cloud.process();
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello, world\n");
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://acl-tools").assertOk();
    AwsCli.run(canopy, "s3", "s3", "cp", file.toString(), "s3://acl-tools/public.txt", "--acl", "public-read").assertOk();
    AwsCli.run(canopy, "s3", "s3", "cp", file.toString(), "s3://acl-tools/private.txt").assertOk();

    Curl.Answer open = Curl.run(canopy.endpoint("s3") + "/acl-tools/public.txt");
    assertThat(open.status()).as(open.body()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("hello, world\n");
    AwsCli.Result unsigned = AwsCli.run(canopy, "s3", "s3", "cp", "s3://acl-tools/public.txt", "-", "--no-sign-request").assertOk();
    assertThat(unsigned.stdout()).isEqualTo("hello, world\n");

    Curl.Answer closed = Curl.run(canopy.endpoint("s3") + "/acl-tools/private.txt");
    assertThat(closed.status()).isEqualTo(403);
    assertThat(closed.body()).contains("<Code>AccessDenied</Code>");
    AwsCli.Result refused = AwsCli.run(canopy, "s3", "s3", "cp", "s3://acl-tools/private.txt", "-", "--no-sign-request");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.stderr()).contains("403");

    String acl = AwsCli.run(canopy, "s3", "s3api", "get-object-acl", "--bucket", "acl-tools", "--key", "public.txt")
        .assertOk().stdout();
    assertThat(acl).contains("http://acs.amazonaws.com/groups/global/AllUsers").contains("\"Permission\": \"READ\"");
  }

  @Test
  void aBucketPolicyPutFromAFileOpensListingUntilDeleted() throws Exception {
    CanopyProcess canopy = cloud.process();
    AwsCli.run(canopy, "s3", "s3", "mb", "s3://policy-tools").assertOk();
    Path file = Files.writeString(dir.resolve("a.txt"), "a");
    AwsCli.run(canopy, "s3", "s3", "cp", file.toString(), "s3://policy-tools/a.txt").assertOk();
    assertThat(Curl.run(canopy.endpoint("s3") + "/policy-tools?list-type=2").status()).isEqualTo(403);

    Path policy = Files.writeString(dir.resolve("policy.json"), """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "PublicList",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:ListBucket", "s3:GetObject"],
            "Resource": ["arn:aws:s3:::policy-tools", "arn:aws:s3:::policy-tools/*"]
          }]
        }
        """);
    AwsCli.run(canopy, "s3", "s3api", "put-bucket-policy", "--bucket", "policy-tools", "--policy", "file://" + policy).assertOk();
    String stored = AwsCli.run(canopy, "s3", "s3api", "get-bucket-policy", "--bucket", "policy-tools").assertOk().stdout();
    assertThat(stored).contains("PublicList").contains("s3:ListBucket");
    String status = AwsCli.run(canopy, "s3", "s3api", "get-bucket-policy-status", "--bucket", "policy-tools").assertOk().stdout();
    assertThat(status).contains("\"IsPublic\": true");

    Curl.Answer listing = Curl.run(canopy.endpoint("s3") + "/policy-tools?list-type=2");
    assertThat(listing.status()).as(listing.body()).isEqualTo(200);
    assertThat(listing.body()).contains("<Key>a.txt</Key>");
    String unsignedList = AwsCli.run(canopy, "s3", "s3", "ls", "s3://policy-tools", "--no-sign-request").assertOk().stdout();
    assertThat(unsignedList).contains("a.txt");

    AwsCli.run(canopy, "s3", "s3api", "delete-bucket-policy", "--bucket", "policy-tools").assertOk();
    assertThat(Curl.run(canopy.endpoint("s3") + "/policy-tools?list-type=2").status()).isEqualTo(403);
    AwsCli.Result gone = AwsCli.run(canopy, "s3", "s3api", "get-bucket-policy", "--bucket", "policy-tools");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.stderr()).contains("NoSuchBucketPolicy");
  }
}
