package dev.canopy.deploy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line client (aws, rclone, s3cmd, restic, python3) with a bounded wait and captures what it printed. */
final class ExternalTool {

  /** Long enough for a 20 MiB copy through a slow shared machine; a hung tool fails the test instead of the build. */
  private static final long RUN_MINUTES_MAX = 5;

  record Result(List<String> command, int exit, String stdout, String stderr) {
    Result assertOk() {
      if (exit != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  private ExternalTool() {}

  /** Fails the test with what to install when {@code program} is missing. */
  static Path require(String program, String debianPackage) {
    Path path = Path.of(program.startsWith("/") ? program : "/usr/bin/" + program);
    if (!Files.isExecutable(path)) {
      throw new AssertionError(path + " is missing: apt-get install " + debianPackage + " (deploy/run-tests and .ci/run do)");
    }
    return path;
  }

  /**
   * @param environment added to this JVM's environment, minus any AWS_* variable of the caller's,
   *     so that only what the test names reaches the tool
   */
  static Result run(List<String> command, Map<String, String> environment, Path directory) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tool-out", ".txt");
    Path err = Files.createTempFile("tool-err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(RUN_MINUTES_MAX, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + RUN_MINUTES_MAX + " minutes");
    }
    try {
      return new Result(List.copyOf(command), process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
