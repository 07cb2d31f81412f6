package dev.canopy.deploy.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs Debian's AWS CLI v2 ({@code /usr/bin/aws}, by path: a v1 may come first on PATH) against a cloud. */
final class AwsCli {

  static final Path AWS = Path.of("/usr/bin/aws");

  /** What {@code aws} printed; {@link ExternalTool.Result} under its historical name. */
  record Result(int exit, String stdout, String stderr) {
    Result assertOk() {
      if (exit != 0) {
        throw new AssertionError("aws exited " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  private AwsCli() {}

  static Result run(CanopyProcess canopy, String service, String... args) throws IOException, InterruptedException {
    ExternalTool.require(AWS.toString(), "awscli");
    List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", canopy.endpoint(service)));
    command.addAll(List.of(args));
    ExternalTool.Result r = ExternalTool.run(command, environment(canopy), canopy.workingDirectory());
    return new Result(r.exit(), r.stdout(), r.stderr());
  }

  /** {@code aws s3api <args>} against the cloud's S3 endpoint. */
  static Result s3api(CanopyProcess canopy, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("s3api"));
    command.addAll(List.of(args));
    return run(canopy, "s3", command.toArray(String[]::new));
  }

  /** The cloud's own profile, as README tells a user to set it up. */
  static Map<String, String> environment(CanopyProcess canopy) {
    return Map.of(
        "AWS_SHARED_CREDENTIALS_FILE", canopy.data().resolve("aws/credentials").toString(),
        "AWS_CONFIG_FILE", canopy.data().resolve("aws/config").toString(),
        "AWS_PROFILE", "canopy",
        "AWS_EC2_METADATA_DISABLED", "true",
        "AWS_PAGER", "");
  }
}
