package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** Runs one {@code canopy} command from the built jar, as an operator would, and captures it. */
final class CanopyCli {

  private static final long TIMEOUT_SECONDS = 60;

  record Result(int exit, String stdout, String stderr) {}

  private CanopyCli() {}

  /** @param scratch where the command's output files go */
  static Result run(Path scratch, String... args) throws Exception {
    Path out = Files.createTempFile(scratch, "cli", ".out");
    Path err = Files.createTempFile(scratch, "cli", ".err");
    Process process = new ProcessBuilder(CanopyProcess.javaCommand(args))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("canopy %s finishes", Arrays.toString(args)).isTrue();
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
    }
  }
}
