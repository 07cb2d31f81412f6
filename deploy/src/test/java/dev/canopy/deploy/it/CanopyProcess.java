package dev.canopy.deploy.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code canopy dev} process started from the built jar on ephemeral ports, as a user
 * would run it. Tests never build: the jar comes from Maven's package phase.
 */
public final class CanopyProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target/canopy.jar").toAbsolutePath();
  /** Built by images/tiny/build.sh (deploy/run-tests and .ci/run run it first). */
  public static final Path TINY_IMAGE = Path.of("../images/target/tiny").toAbsolutePath().normalize();
  // Generous: integration test classes run two at a time, and a start beside a multi-process cloud
  // starting shares the two cores with it. A start that hangs still fails.
  private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

  /** Every cloud a test has started and not closed: a failing test's diagnostics quote their logs. */
  static final Set<CanopyProcess> OPEN = ConcurrentHashMap.newKeySet();

  private final Path data;
  private final Map<String, String> environment;
  private final List<String> extraArgs;
  private final Path log;
  private Process process;
  private Map<String, String> endpoints;
  private double readySeconds;

  private CanopyProcess(Path data, Map<String, String> environment, List<String> extraArgs) {
    this.data = data;
    this.environment = environment;
    this.extraArgs = List.copyOf(extraArgs);
    this.log = data.resolveSibling(data.getFileName() + ".log");
  }

  public static CanopyProcess start(Path data) throws Exception {
    return start(data, Map.of());
  }

  public static CanopyProcess start(Path data, Map<String, String> environment) throws Exception {
    return start(data, environment, List.of());
  }

  /** With more {@code canopy dev} options, such as {@code --hypervisor-uri qemu:///system}. */
  public static CanopyProcess start(Path data, Map<String, String> environment, List<String> extraArgs) throws Exception {
    CanopyProcess canopy = new CanopyProcess(data, environment, extraArgs);
    OPEN.add(canopy);
    canopy.launch();
    return canopy;
  }

  /** A java command line running the jar with a capped heap, as tests must. */
  public static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:G1HeapRegionSize=4m"); // as deploy/canopy starts it (docs/configuration.md)
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  private void launch() throws Exception {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the tests with 'mvn verify', which packages it first");
    }
    Files.deleteIfExists(data.resolve("endpoints.json"));
    List<String> args = new ArrayList<>(List.of("dev", "--data", data.toString(),
        "--ec2-port", "0", "--s3-port", "0", "--console-port", "0", "--management-port", "0", "--agent-port", "0", "--riak-port", "0"));
    args.addAll(extraArgs);
    ProcessBuilder builder =
        new ProcessBuilder(javaCommand(args.toArray(String[]::new)))
            .directory(workingDirectory().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("CANOPY_TINY_IMAGE", TINY_IMAGE.toString());
    builder.environment().putAll(environment);
    long startNanos = System.nanoTime();
    process = builder.start();
    Path endpointsFile = data.resolve("endpoints.json");
    try {
      await()
          .atMost(START_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (Files.exists(endpointsFile)) {
              return true;
            }
            if (!process.isAlive()) {
              throw new IllegalStateException("canopy dev exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            return false;
          });
    } catch (ConditionTimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("canopy dev not ready after " + START_TIMEOUT + ":\n" + Files.readString(log));
    }
    readySeconds = (System.nanoTime() - startNanos) / 1e9;
    @SuppressWarnings("unchecked")
    Map<String, String> read = new ObjectMapper().readValue(data.resolve("endpoints.json").toFile(), Map.class);
    endpoints = read;
  }

  public String endpoint(String name) {
    String url = endpoints.get(name);
    if (url == null) {
      throw new IllegalStateException("no endpoint " + name + " in " + endpoints);
    }
    return url;
  }

  public String region() {
    return endpoints.get("region");
  }

  public Path data() {
    return data;
  }

  /** Where the process runs: beside its data folder, so anything it writes to "." stays in the test's folder. */
  public Path workingDirectory() {
    return data.toAbsolutePath().getParent();
  }

  /** Seconds from process start until endpoints.json appeared. */
  public double readySeconds() {
    return readySeconds;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM, as an operator's Ctrl-C or service manager would; returns the exit code. */
  public int stop() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("canopy dev did not stop within 30 s of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  public void restart() throws Exception {
    stop();
    launch();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last {@code lines} lines of the log, or what stopped reading it. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    OPEN.remove(this);
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
