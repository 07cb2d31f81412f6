package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web page's use of a bucket, end to end on the built jar: boto3 sets CORS rules and signs an
 * upload form ({@code generate_presigned_post}); Python's urllib, standing in for the browser,
 * asks the preflight and posts the form without credentials ({@code tools/boto3_browser.py}).
 */
class S3BrowserIT {

  private static final Path SCRIPT = Path.of("src/test/resources/tools/boto3_browser.py").toAbsolutePath();

  @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();

  @Test
  void aPageUploadsThroughASignedFormAfterAPreflight() throws Exception {
    ExternalTool.require("python3", "python3-boto3");
    CanopyProcess canopy = cloud.process();
    Credential tenant = TenantClients.firstTenant(canopy);

    ExternalTool.Result result = ExternalTool.run(List.of("python3", SCRIPT.toString()), Map.of(
        "CANOPY_S3", canopy.endpoint("s3"),
        "AWS_ACCESS_KEY_ID", tenant.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", tenant.secretAccessKey(),
        "AWS_DEFAULT_REGION", canopy.region(),
        "AWS_EC2_METADATA_DISABLED", "true"), canopy.workingDirectory()).assertOk();

    assertThat(result.stdout()).contains("preflight allowed", "form upload stored inbox/note.txt", "tampered form refused",
        "oversized file refused", "ok");
  }
}
