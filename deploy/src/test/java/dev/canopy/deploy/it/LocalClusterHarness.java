package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.deploy.cluster.LocalCluster;
import dev.canopy.deploy.process.CloudFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A cloud started with {@code canopy local-cluster up} for a test: real processes, each its own
 * JVM, found through {@code cluster.json}. Controllers are addressed by id (1..N); kill, stop,
 * continue and restart act on the real processes with signals.
 */
final class LocalClusterHarness implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);
  /** This module's compiled tests, where {@link StaleController} lives (tests run in the module's folder). */
  private static final Path TEST_CLASSES = Path.of("target/test-classes").toAbsolutePath();

  private final Path dir;
  private final JsonNode cluster;
  /** By controller id; a controller added after {@code up} ({@link #startJoined}) gets its entry then. */
  private final Map<Integer, Long> controllerPids = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private LocalClusterHarness(Path dir, JsonNode cluster) {
    this.dir = dir;
    this.cluster = cluster;
    for (JsonNode c : cluster.path("controllers")) {
      controllerPids.put(c.path("id").asInt(), c.path("pid").asLong());
    }
  }

  static LocalClusterHarness up(Path dir, String subnet, int controllers, int nodes, String... options) throws Exception {
    Path log = dir.resolve("up.log");
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(List.of("local-cluster", "up", "--dir", dir.toString(),
        "--controllers", Integer.toString(controllers), "--nodes", Integer.toString(nodes), "--subnet", subnet,
        "--system-image", CanopyProcess.TINY_IMAGE.toString()));
    args.addAll(List.of(options));
    Process up = new ProcessBuilder(CanopyProcess.javaCommand(args.toArray(String[]::new)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = up.waitFor(UP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!finished || up.exitValue() != 0) {
      up.destroyForcibly();
      down(dir);
      throw new AssertionError("local-cluster up failed (" + (finished ? "exit " + up.exitValue() : "timeout") + "):\n"
          + tail(log));
    }
    return new LocalClusterHarness(dir, JSON.readTree(dir.resolve("cluster.json").toFile()));
  }

  /** The processes' logs outlive the cluster's folder, for whoever reads a failure (target/NAME). */
  static void keepLogs(Path dir, String name) throws IOException {
    Path logs = dir.resolve("logs");
    Path kept = Path.of("target", name);
    if (!Files.isDirectory(logs)) {
      return;
    }
    Files.createDirectories(kept);
    try (var files = Files.list(logs)) {
      for (Path log : files.toList()) {
        Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * An IT's end: stops the cluster (if it came up), keeps its logs in {@code target/logsName} and
   * deletes its folder.
   */
  static void downAndClean(LocalClusterHarness cluster, Path dir, String logsName) throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      keepLogs(dir, logsName);
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static void down(Path dir) throws Exception {
    Process down = new ProcessBuilder(CanopyProcess.javaCommand("local-cluster", "down", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("down.log").toFile()).start();
    down.waitFor(3, TimeUnit.MINUTES);
  }

  JsonNode cluster() {
    return cluster;
  }

  List<Integer> controllerIds() {
    List<Integer> ids = new ArrayList<>();
    cluster.path("controllers").forEach(c -> ids.add(c.path("id").asInt()));
    return ids;
  }

  JsonNode controller(int id) {
    for (JsonNode c : cluster.path("controllers")) {
      if (c.path("id").asInt() == id) {
        return c;
      }
    }
    throw new IllegalArgumentException("no controller " + id);
  }

  String address(int id) {
    return URI.create(controller(id).path("ec2").asText()).getHost();
  }

  /** The loopback alias this controller's grid member listens on (and dials from). */
  String gridHost(int id) {
    String member = controller(id).path("hazelcast").asText();
    return member.substring(0, member.lastIndexOf(':'));
  }

  /** This controller's {@code GET /lease}, or empty when it does not answer. */
  Optional<JsonNode> lease(int id) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(controller(id).path("lease").asText()))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Whether controller {@code id}'s {@code /readyz} answers 200 (started, and its grid member in a majority). */
  boolean ready(int id) {
    String lease = controller(id).path("lease").asText();
    try {
      return http.send(HttpRequest.newBuilder(URI.create(lease.substring(0, lease.lastIndexOf('/')) + "/readyz"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The holder every answering controller among {@code ids} names, when they agree on one. */
  Optional<Integer> agreedHolder(List<Integer> ids) {
    Integer agreed = null;
    for (int id : ids) {
      Optional<JsonNode> lease = lease(id);
      if (lease.isEmpty() || lease.get().path("holder").isNull()) {
        return Optional.empty();
      }
      int holder = lease.get().path("holder").asInt();
      if (agreed != null && agreed != holder) {
        return Optional.empty();
      }
      agreed = holder;
    }
    return Optional.ofNullable(agreed);
  }

  int awaitAgreedHolder(List<Integer> ids, Duration within) {
    return await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> agreedHolder(ids), Optional::isPresent).get();
  }

  /** Waits until the controllers {@code ids} agree on a holder other than {@code old}. */
  int awaitNewHolder(List<Integer> ids, int old, Duration within) {
    return await().atMost(within).pollInterval(Duration.ofMillis(20))
        .until(() -> agreedHolder(ids).filter(h -> h != old), Optional::isPresent).get();
  }

  /** The holder's epoch as its {@code /lease} reports it (0 until it has minted). */
  long epochOf(int holder) {
    return lease(holder).map(l -> l.path("epoch").asLong()).orElse(0L);
  }

  List<Integer> others(int id) {
    return controllerIds().stream().filter(i -> i != id).toList();
  }

  long pid(int id) {
    return controllerPids.get(id);
  }

  void kill9(int id) throws Exception {
    signal(id, "KILL");
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid(id)).map(p -> !p.isAlive()).orElse(true));
  }

  /** SIGTERM: the controller releases the lease and stops. */
  void stop(int id) throws Exception {
    signal(id, "TERM");
    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(pid(id)).map(p -> !p.isAlive()).orElse(true));
  }

  void signal(int id, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(id))).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s controller %d", signal, id).isTrue();
  }

  /** Starts controller {@code id} again from its recorded command line; returns once it is ready. */
  void restart(int id) throws Exception {
    awaitReady(id, launch(id, command(id)));
  }

  /**
   * Starts controller {@code id} again as a stale holder ({@link StaleController}, from the test
   * classes: the {@code canopy} command has no such switch); returns once it is ready.
   */
  void restartAsStaleHolder(int id) throws Exception {
    List<String> command = command(id);
    int jar = command.indexOf("-jar");
    int subcommand = command.indexOf("controller");
    assertThat(jar).as("-jar in %s", command).isNotNegative();
    assertThat(subcommand).as("controller in %s", command).isGreaterThan(jar);
    String classpath = command.get(jar + 1) + java.io.File.pathSeparator + TEST_CLASSES;
    command.set(subcommand, StaleController.class.getName());
    command.set(jar, "-cp");
    command.set(jar + 1, classpath);
    awaitReady(id, launch(id, command));
  }

  /** Starts every controller at once (none is ready before a majority is up), then waits for each. */
  void restartAll() throws Exception {
    List<Process> started = new ArrayList<>();
    for (int id : controllerIds()) {
      started.add(launch(id, command(id)));
    }
    for (int i = 0; i < started.size(); i++) {
      awaitReady(controllerIds().get(i), started.get(i));
    }
  }

  /**
   * Starts controller {@code id}, which {@code canopy controller join} has just added to the set and
   * {@code local-cluster up} never started: controller {@code template}'s command line with this
   * id, a data folder and log of its own (in the cluster's folder, so {@code down} stops it too)
   * and {@code controllers}, every controller of the set, in {@code --controllers}. It listens on
   * SUBNET.id like the others. Returns once it is ready; from then on it is one of {@link #controllerIds}.
   */
  void startJoined(int id, int template, java.util.SortedMap<Integer, String> controllers) throws Exception {
    List<String> command = command(template);
    Path data = dir.resolve("controller-" + id);
    Path log = dir.resolve("logs/controller-" + id + ".log");
    command.set(command.indexOf("--data") + 1, data.toString());
    command.set(command.indexOf("--id") + 1, Integer.toString(id));
    java.util.StringJoiner set = new java.util.StringJoiner(",");
    controllers.forEach((peer, address) -> set.add(peer + "=" + address));
    command.set(command.indexOf("--controllers") + 1, set.toString());
    com.fasterxml.jackson.databind.node.ObjectNode entry = ((com.fasterxml.jackson.databind.node.ArrayNode) cluster.path("controllers"))
        .addObject();
    entry.put("id", id).put("data", data.toString()).put("log", log.toString());
    command.forEach(entry.putArray("argv")::add);
    Process p = launch(id, command);
    awaitReady(id, p);
    JsonNode endpoints = JSON.readTree(data.resolve("endpoints.json").toFile());
    endpoints.fields().forEachRemaining(e -> entry.set(e.getKey(), e.getValue()));
    entry.put("pid", p.pid());
  }

  /** Controller {@code id} left the set: it is no longer one of {@link #controllerIds}. */
  void forget(int id) {
    var controllers = (com.fasterxml.jackson.databind.node.ArrayNode) cluster.path("controllers");
    for (int i = 0; i < controllers.size(); i++) {
      if (controllers.get(i).path("id").asInt() == id) {
        controllers.remove(i);
        return;
      }
    }
  }

  /** The command line {@code cluster.json} recorded for controller {@code id}. */
  private List<String> command(int id) {
    List<String> command = new ArrayList<>();
    controller(id).path("argv").forEach(a -> command.add(a.asText()));
    return command;
  }

  private Process launch(int id, List<String> command) throws IOException {
    JsonNode c = controller(id);
    Files.deleteIfExists(Path.of(c.path("data").asText()).resolve("endpoints.json"));
    Process p = LocalCluster.startDetached(command, Path.of(c.path("log").asText()));
    controllerPids.put(id, p.pid());
    return p;
  }

  private void awaitReady(int id, Process p) {
    JsonNode c = controller(id);
    Path data = Path.of(c.path("data").asText());
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(data.resolve("endpoints.json")) || !p.isAlive());
    assertThat(p.isAlive()).as("controller %d restarted; log %s", id, c.path("log").asText()).isTrue();
  }

  /** Starts again any controller a failed test left stopped or paused, so each test begins with all of them. */
  void ensureAllRunning() throws Exception {
    Map<Integer, Process> started = new java.util.LinkedHashMap<>();
    for (int id : controllerIds()) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid(id)).filter(ProcessHandle::isAlive);
      if (process.isPresent()) {
        new ProcessBuilder("kill", "-CONT", Long.toString(pid(id))).start().waitFor(10, TimeUnit.SECONDS);
      } else {
        started.put(id, launch(id, command(id)));
      }
    }
    for (var e : started.entrySet()) {
      awaitReady(e.getKey(), e.getValue());
    }
  }

  /**
   * Every controller answers, names the same holder, and none is quarantined: a restarted
   * acceptor answers no proposer for its quarantine, so a test that starts earlier would run
   * with one acceptor fewer than it thinks. And the holder sees every node agent available with
   * capacity: after a kill or a cut-off the agents reconnect on their own schedule, and a test
   * that launches before then would measure the reconnection, not what it means to test.
   */
  void awaitSteady() {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> agreedHolder(controllerIds()).isPresent()
        && controllerIds().stream().allMatch(id -> lease(id).map(l -> l.path("quarantineMs").asLong() == 0).orElse(false)));
    // A controller cut off and reconnected serves again only once its grid member merged back.
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> controllerIds().stream().allMatch(this::ready));
    int holder = agreedHolder(controllerIds()).orElseThrow();
    URI console = URI.create(controller(holder).path("console").asText());
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      int available = 0;
      for (JsonNode node : dev.canopy.deploy.admin.NodesCommand.fetch(dir, console).path("nodes")) {
        if ("AVAILABLE".equals(node.path("state").asText()) && node.path("capacity").path("vcpus").asInt() > 0) {
          available++;
        }
      }
      return available >= nodeCount();
    });
  }

  String nodeLog(int index) throws IOException {
    return Files.readString(Path.of(cluster.path("nodes").get(index).path("log").asText()));
  }

  int nodeCount() {
    return cluster.path("nodes").size();
  }

  /** The first tenant's S3 client on the first storage process, path style, with the SDK's usual retries. */
  S3Client s3() throws IOException {
    return s3(0);
  }

  /** The first tenant's S3 client on storage process {@code index} (cluster.json order). */
  S3Client s3(int index) throws IOException {
    Credential tenant = CloudFiles.readProfile(Path.of(cluster.path("credentials").asText()), CloudFiles.TENANT_PROFILE, "")
        .orElseThrow();
    return S3Client.builder()
        .endpointOverride(URI.create(cluster.path("storage").get(index).path("s3").asText()))
        .region(Region.of("canopy-1"))
        .credentialsProvider(TenantClients.provider(tenant.accessKeyId(), tenant.secretAccessKey()))
        .forcePathStyle(true)
        .build();
  }

  /**
   * The tenant's EC2 client on any endpoint (a load balancer's) with the SDK's default retries, as
   * a user's program has them: a failure it throws is one the user would see.
   */
  Ec2Client ec2At(URI endpoint) throws IOException {
    Credential tenant = CloudFiles.readProfile(Path.of(cluster.path("credentials").asText()), CloudFiles.TENANT_PROFILE, "")
        .orElseThrow();
    return Ec2Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of("canopy-1"))
        .credentialsProvider(TenantClients.provider(tenant.accessKeyId(), tenant.secretAccessKey()))
        .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build())
        .build();
  }

  /** The tenant's S3 client on any endpoint (a load balancer's), path-style. */
  S3Client s3At(URI endpoint) throws IOException {
    Credential tenant = CloudFiles.readProfile(Path.of(cluster.path("credentials").asText()), CloudFiles.TENANT_PROFILE, "")
        .orElseThrow();
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of("canopy-1"))
        .credentialsProvider(TenantClients.provider(tenant.accessKeyId(), tenant.secretAccessKey()))
        .forcePathStyle(true)
        .build();
  }

  /** The tenant's EC2 client on controller {@code id}: no retries of its own, so the test sees every answer. */
  Ec2Client ec2(int id) throws IOException {
    Credential tenant = CloudFiles.readProfile(Path.of(cluster.path("credentials").asText()), CloudFiles.TENANT_PROFILE, "")
        .orElseThrow();
    return Ec2Client.builder()
        .endpointOverride(URI.create(controller(id).path("ec2").asText()))
        .region(Region.of("canopy-1"))
        .credentialsProvider(TenantClients.provider(tenant.accessKeyId(), tenant.secretAccessKey()))
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryPolicy(RetryPolicy.none())
            .apiCallTimeout(Duration.ofSeconds(40))
            .build())
        .build();
  }

  Path dir() {
    return dir;
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws Exception {
    down(dir);
  }
}
