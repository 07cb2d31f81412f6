package dev.canopy.cloud.gridtunnel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A {@link TunnelledMember} JVM inside a namespace: every line it prints is kept (and copied to a
 * log file for a failed run), lines can be sent to it, and it is killed on close.
 */
final class HostProcess implements AutoCloseable {

  private static final Duration ANSWER = Duration.ofMinutes(2);

  private final Process process;
  private final PrintWriter input;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private HostProcess(Process process, Path log) {
    this.process = process;
    this.input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        }
      } catch (IOException e) {
        lines.add("(output lost: " + e + ")");
      }
    }, "host-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code TunnelledMember args…} in {@code namespace} with this JVM's class path. */
  static HostProcess start(String namespace, Path log, String... args) throws IOException {
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        // Start without waiting for peers and with few partitions, as the in-JVM test clusters do.
        "-Dhazelcast.wait.seconds.before.join=0", "-Dhazelcast.max.wait.seconds.before.join=0",
        "-Dhazelcast.partition.count=31", TunnelledMember.class.getName()));
    java.addAll(List.of(args));
    Process process = new ProcessBuilder(HostNamespaces.inside(namespace, java)).redirectErrorStream(true).start();
    return new HostProcess(process, log);
  }

  /** The first line starting with {@code prefix}, waiting for it. */
  String awaitLine(String prefix) {
    return Awaitility.await().atMost(ANSWER).until(() -> find(prefix), Optional::isPresent).orElseThrow();
  }

  /** Sends {@code command} and returns the first answer line starting with {@code prefix} printed after it. */
  String ask(String command, String prefix) {
    int before = lines.size();
    input.println(command);
    return Awaitility.await().atMost(ANSWER)
        .until(() -> lines.subList(before, lines.size()).stream().filter(l -> l.startsWith(prefix)).findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  private Optional<String> find(String prefix) {
    if (!process.isAlive() && lines.stream().noneMatch(l -> l.startsWith(prefix))) {
      throw new AssertionError("the process exited " + process.exitValue() + " without printing '" + prefix + "':\n"
          + String.join("\n", lines));
    }
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
  }

  /** Waits for the process to end by itself. */
  void awaitExit() throws InterruptedException {
    if (!process.waitFor(ANSWER.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("still running after " + ANSWER + ":\n" + String.join("\n", lines));
    }
  }

  @Override
  public void close() throws InterruptedException {
    input.println("quit");
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
