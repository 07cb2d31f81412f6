package dev.canopy.deploy.it;

import dev.canopy.api.auth.Credential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a scenario of {@code tools/boto3_s3.py} (boto3, as a user's script) against a cloud's S3 endpoint. */
final class Boto3 {

  private static final Path SCRIPT = Path.of("src/test/resources/tools/boto3_s3.py").toAbsolutePath();

  private Boto3() {}

  static ExternalTool.Result run(CanopyProcess canopy, String scenario, Map<String, String> more) throws Exception {
    ExternalTool.require("python3", "python3-boto3");
    Credential tenant = TenantClients.firstTenant(canopy);
    Map<String, String> environment = new java.util.HashMap<>(Map.of(
        "CANOPY_S3", canopy.endpoint("s3"),
        "AWS_ACCESS_KEY_ID", tenant.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", tenant.secretAccessKey(),
        "AWS_DEFAULT_REGION", canopy.region(),
        "AWS_EC2_METADATA_DISABLED", "true"));
    environment.putAll(more);
    return ExternalTool.run(List.of("python3", SCRIPT.toString(), scenario), environment, canopy.workingDirectory());
  }
}
