package dev.canopy.node.disks;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (qemu-img, genisoimage) to completion within a timeout, its output
 * captured through files (no pipe can fill and stall it) and read back bounded.
 */
final class Tool {

  /** What a program printed and how it ended; output beyond {@link #OUTPUT_BYTES_MAX} is cut. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** qemu-img's JSON for one image is a few KiB; error messages are one line. */
  static final int OUTPUT_BYTES_MAX = 256 * 1024;
  /** After a kill, how long to wait for the process to be gone. */
  private static final Duration REAP_TIMEOUT = Duration.ofSeconds(5);

  private Tool() {}

  /** Runs the command; a non-zero exit is an IOException carrying the program's stderr. */
  static Result runChecked(List<String> command, Duration timeout) throws IOException {
    Result r = run(command, timeout);
    if (r.exitCode() != 0) {
      String detail = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
      throw new IOException(name(command) + " failed (exit " + r.exitCode() + "): " + detail);
    }
    return r;
  }

  static Result run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile("canopy-tool-", ".out");
    Path err = Files.createTempFile("canopy-tool-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      // Messages in one language, so the errors the controller shows read the same on every node.
      pb.environment().put("LC_ALL", "C");
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new IOException("cannot run " + name(command) + ": " + e.getMessage(), e);
      }
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          kill(p);
          throw new IOException(name(command) + " did not finish within " + timeout.toMillis() + " ms");
        }
      } catch (InterruptedException e) {
        kill(p);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for " + name(command));
      }
      return new Result(p.exitValue(), read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static void kill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(OUTPUT_BYTES_MAX), StandardCharsets.UTF_8);
    }
  }

  private static String name(List<String> command) {
    // Past a resource-limit wrapper (prlimit ... --), the program is the one after "--".
    int dashes = command.indexOf("--");
    String program = dashes >= 0 && dashes + 1 < command.size() ? command.get(dashes + 1) : command.get(0);
    return Path.of(program).getFileName().toString();
  }

  /** The program's absolute path if it is on PATH (the agent's own environment), else null. */
  static Path onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate) && Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
