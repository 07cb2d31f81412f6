package dev.canopy.deploy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's AWS CLI v2 ({@code /usr/bin/aws}, by path: a v1 may come first on PATH) against a cloud. */
final class AwsCli {

  static final Path AWS = Path.of("/usr/bin/aws");

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
    if (!Files.isExecutable(AWS)) {
      throw new AssertionError("/usr/bin/aws is missing: install Debian's awscli package (deploy/run-tests does as root)");
    }
    List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", canopy.endpoint(service)));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("aws-out", ".txt");
    Path err = Files.createTempFile("aws-err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", canopy.data().resolve("aws/credentials").toString());
    builder.environment().put("AWS_CONFIG_FILE", canopy.data().resolve("aws/config").toString());
    builder.environment().put("AWS_PROFILE", "canopy");
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.environment().put("AWS_PAGER", "");
    builder.environment().remove("AWS_ACCESS_KEY_ID");
    builder.environment().remove("AWS_SECRET_ACCESS_KEY");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    try {
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
