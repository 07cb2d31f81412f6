package dev.canopy.deploy.cluster;

import dev.canopy.deploy.process.CloudBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.core.files.DurableFiles;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.deploy.admin.NodesCommand;
import dev.canopy.deploy.admin.TokenCommand;
import dev.canopy.deploy.process.CloudFiles;
import dev.canopy.node.agent.AgentClient;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A multi-process cloud on one machine. Layout under DIR: {@code identity/}, {@code admin/},
 * {@code aws/} (from {@code canopy init}), {@code storage-J/}, {@code controller-I/},
 * {@code node-K/}, {@code logs/NAME.log} and {@code cluster.json}. Controller I listens on
 * SUBNET.I with the usual ports, storage J on SUBNET.(100+J); every JVM is capped at 512 MiB and
 * runs in its own session, so it outlives this command. {@code up} on a folder that already holds
 * a cloud starts that cloud again: its data survives {@code down}.
 */
public final class LocalCluster {

  public static final String CLUSTER_FILE = "cluster.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Duration PROCESS_READY = Duration.ofMinutes(3);
  private static final Duration HOLDER_AGREED = Duration.ofSeconds(90);
  private static final Duration NODES_AVAILABLE = Duration.ofMinutes(2);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Pattern NODE_LINE = Pattern.compile("canopy node: node (\\S+) ");
  private static final Duration FILE_POLL = Duration.ofMillis(100);
  private static final Duration HTTP_POLL = Duration.ofMillis(200);
  /** A command-line tool: it reads the JVM's clocks, and hands them to every wait below. */
  private static final Time TIME = SystemTime.INSTANCE;

  /**
   * What the node agents run guests on: libvirt's test driver (no guests, the default) or a real
   * libvirtd, for which the controllers hand out image links from the storage process's S3 and
   * firewall rules.
   */
  public record Guests(String hypervisorUri, String virtType) {
    public static final Guests NONE = new Guests("test:///default", "auto");

    boolean real() {
      return !hypervisorUri.startsWith("test:");
    }
  }

  /**
   * What to start, and where.
   *
   * @param antiEntropyRoundSeconds each storage process's anti-entropy round; null: its default
   */
  public record Layout(Path dir, int controllers, int storage, int nodes, String subnet, Path systemImage, Guests guests,
      Long antiEntropyRoundSeconds) {
    String controllerAddress(int i) {
      return subnet + "." + i;
    }

    String storageAddress(int j) {
      return subnet + "." + (100 + j);
    }
  }

  private LocalCluster() {}

  /** Starts everything and returns the path of {@code cluster.json}. */
  public static Path up(Layout layout, PrintStream out) throws Exception {
    Path dir = layout.dir().toAbsolutePath();
    Files.createDirectories(dir.resolve("logs"));
    if (!running(dir).isEmpty()) {
      throw new IllegalStateException("processes of " + dir + " are still running: local-cluster down --dir " + dir + " first");
    }
    Path identity = dir.resolve("identity");
    if (!CloudBundle.exists(identity)) {
      List<String> init = new ArrayList<>(List.of("--dir", dir.toString(), "--storage-data", dir.resolve("storage-1").toString()));
      if (layout.systemImage() != null) {
        init.addAll(List.of("--system-image", layout.systemImage().toString()));
      }
      int exit = new CommandLine(new InitCommand()).execute(init.toArray(String[]::new));
      if (exit != 0) {
        throw new IllegalStateException("canopy init failed (exit " + exit + ")");
      }
    }
    Path jar = ownJar();
    ObjectNode cluster = JSON.createObjectNode();

    StringJoiner members = new StringJoiner(",");
    for (int i = 1; i <= layout.controllers(); i++) {
      members.add(i + "=" + layout.controllerAddress(i));
    }
    ArrayNode storage = cluster.putArray("storage");
    StringJoiner storageNodes = new StringJoiner(",");
    for (int j = 1; j <= layout.storage(); j++) {
      storageNodes.add(j + "=" + layout.storageAddress(j));
      if (j > 1) {
        StorageSeed.identity(dir.resolve("storage-1"), dir.resolve("storage-" + j));
      }
    }
    // Every storage node at once: the first one's start copies init's records with quorum writes,
    // which need the others' peer ports.
    Map<Integer, Long> storagePids = new LinkedHashMap<>();
    Map<Integer, List<String>> storageArgs = new LinkedHashMap<>();
    for (int j = 1; j <= layout.storage(); j++) {
      List<String> args = new ArrayList<>(List.of("storage", "--cloud", identity.toString(), "--data", dir.resolve("storage-" + j).toString(),
          "--bind", layout.storageAddress(j), "--id", Integer.toString(j), "--controllers", members.toString(),
          "--storage-nodes", storageNodes.toString()));
      if (layout.antiEntropyRoundSeconds() != null) {
        args.addAll(List.of("--anti-entropy-round-seconds", layout.antiEntropyRoundSeconds().toString()));
      }
      storageArgs.put(j, args);
      storagePids.put(j, launch(jar, args, dir.resolve("logs/storage-" + j + ".log")));
    }
    StringJoiner internalUrls = new StringJoiner(",");
    StringJoiner s3Urls = new StringJoiner(",");
    for (int j = 1; j <= layout.storage(); j++) {
      Path data = dir.resolve("storage-" + j);
      Map<String, String> endpoints = new LinkedHashMap<>(awaitEndpoints(data, storagePids.get(j), "storage-" + j));
      endpoints.put("internal", endpoints.get("kv"));
      s3Urls.add(endpoints.get("s3"));
      internalUrls.add(endpoints.get("kv"));
      storage.add(entry(endpoints, Integer.toString(j), storagePids.get(j), data, dir.resolve("logs/storage-" + j + ".log"), jar,
          storageArgs.get(j)));
      out.println("canopy local-cluster: storage-" + j + " " + endpoints.get("kv") + ", Riak " + endpoints.get("riak") + ", S3 "
          + endpoints.get("s3"));
    }

    Map<Integer, Long> controllerPids = new LinkedHashMap<>();
    Map<Integer, List<String>> controllerArgs = new LinkedHashMap<>();
    for (int i = 1; i <= layout.controllers(); i++) {
      List<String> args = new ArrayList<>(List.of("controller", "--cloud", identity.toString(), "--data",
          dir.resolve("controller-" + i).toString(), "--id", Integer.toString(i), "--controllers", members.toString(),
          "--storage", internalUrls.toString()));
      args.addAll(layout.guests().real() ? List.of("--guests", "real", "--s3", s3Urls.toString()) : List.of("--guests", "none"));
      controllerArgs.put(i, args);
      controllerPids.put(i, launch(jar, args, dir.resolve("logs/controller-" + i + ".log")));
    }
    ArrayNode controllers = cluster.putArray("controllers");
    List<Map<String, String>> controllerEndpoints = new ArrayList<>();
    for (int i = 1; i <= layout.controllers(); i++) {
      Path data = dir.resolve("controller-" + i);
      Map<String, String> endpoints = awaitEndpoints(data, controllerPids.get(i), "controller-" + i);
      controllerEndpoints.add(endpoints);
      controllers.add(entry(endpoints, Integer.toString(i), controllerPids.get(i), data, dir.resolve("logs/controller-" + i + ".log"),
          jar, controllerArgs.get(i)));
      out.println("canopy local-cluster: controller-" + i + " " + endpoints.get("ec2"));
    }
    int holder = awaitAgreedHolder(controllerEndpoints);
    out.println("canopy local-cluster: controller " + holder + " holds the lease");

    ArrayNode nodes = cluster.putArray("nodes");
    StringJoiner agentUrls = new StringJoiner(",");
    controllerEndpoints.forEach(e -> agentUrls.add(e.get("agent")));
    URI console = URI.create(controllerEndpoints.get(0).get("console"));
    Set<String> nodeIds = new HashSet<>();
    for (int k = 1; k <= layout.nodes(); k++) {
      Path data = dir.resolve("node-" + k);
      Path log = dir.resolve("logs/node-" + k + ".log");
      List<String> args = new ArrayList<>(List.of("node", "--controller", agentUrls.toString(), "--data", data.toString(),
          "--hypervisor-uri", layout.guests().hypervisorUri(), "--virt-type", layout.guests().virtType()));
      if (layout.systemImage() != null && layout.guests().real()) {
        args.addAll(List.of("--probe-image", layout.systemImage().toString()));
      }
      int restartArgs = args.size();
      if (!AgentClient.isEnrolled(data)) {
        args.addAll(List.of("--token", TokenCommand.create(dir, console, Duration.ofMinutes(10))));
      }
      long pid = launch(jar, args, log);
      String nodeId = awaitNodeLine(log, pid, "node-" + k);
      nodeIds.add(nodeId);
      // The token is spent: a restart from argv needs none.
      List<String> restart = args.subList(0, restartArgs);
      nodes.add(entry(Map.of(), nodeId, pid, data, log, jar, restart));
    }
    awaitNodesAvailable(dir, console, nodeIds);
    cluster.put("credentials", dir.resolve("aws/credentials").toString());
    cluster.put("config", dir.resolve("aws/config").toString());
    cluster.put("admin", dir.resolve("admin/credentials").toString());
    Path file = dir.resolve(CLUSTER_FILE);
    DurableFiles.write(file, JSON.writeValueAsBytes(cluster));
    return file;
  }

  /** Stops every process of the cloud in {@code dir}, restarted ones included; returns how many. */
  public static int down(Path dir, PrintStream out) throws InterruptedException {
    List<ProcessHandle> processes = running(dir.toAbsolutePath());
    // Node agents first (they would only retry), then the controllers (handing the lease over), then storage.
    processes.sort((a, b) -> Integer.compare(stopOrder(a), stopOrder(b)));
    for (ProcessHandle p : processes) {
      p.destroy();
      try {
        Futures.await(p.onExit(), STOP_GRACE, "pid " + p.pid() + " to exit");
      } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
        out.println("canopy local-cluster: pid " + p.pid() + " ignored SIGTERM for " + STOP_GRACE.toSeconds() + " s; killing it");
        p.destroyForcibly();
      }
    }
    return processes.size();
  }

  /** This folder's Canopy JVMs: their command line names canopy.jar and a data folder inside it. */
  static List<ProcessHandle> running(Path dir) {
    String marker = dir.toString() + File.separator;
    return new ArrayList<>(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("canopy.jar") && c.contains(marker)).orElse(false))
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .toList());
  }

  private static int stopOrder(ProcessHandle p) {
    String command = p.info().commandLine().orElse("");
    return command.contains(" node ") ? 0 : command.contains(" controller ") ? 1 : 2;
  }

  private static ObjectNode entry(Map<String, String> endpoints, String id, long pid, Path data, Path log, Path jar, List<String> args) {
    ObjectNode entry = JSON.createObjectNode();
    endpoints.forEach(entry::put);
    if (id.matches("\\d+")) {
      entry.put("id", Integer.parseInt(id));
    } else {
      entry.put("id", id);
    }
    entry.put("pid", pid);
    entry.put("data", data.toString());
    entry.put("log", log.toString());
    ArrayNode argv = entry.putArray("argv");
    command(jar, args).forEach(argv::add);
    return entry;
  }

  /**
   * G1 regions of 4 MiB: with a heap under 2 GiB they are 1 MiB, and every 1 MiB object chunk is
   * then a humongous object, allocated outside the young generation and keeping G1's concurrent
   * marking busy under an upload load (docs/operations.md, "JVM flags").
   */
  static final String G1_REGION_FLAG = "-XX:G1HeapRegionSize=4m";

  static List<String> command(Path jar, List<String> args) {
    String java = Optional.ofNullable(System.getProperty("java.home")).map(h -> h + "/bin/java").orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", G1_REGION_FLAG, "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(classDataSharing(jar));
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    return command;
  }

  /**
   * The class-data archive that {@code deploy/canopy} keeps beside the jar, when it is newer than
   * the jar: mapped, never written, by the cluster's processes (six JVMs starting at once on a
   * small machine gain the most from it). The JVM checks it against the jar and runs without it,
   * silently, when they do not match.
   */
  static List<String> classDataSharing(Path jar) {
    String name = jar.getFileName().toString();
    Path archive = jar.resolveSibling(name.endsWith(".jar") ? name.substring(0, name.length() - 4) + ".jsa" : name + ".jsa");
    try {
      if (Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
      }
    } catch (IOException e) {
      // No archive to use: the processes start without one.
    }
    return List.of();
  }

  /** Starts one process in a session of its own (setsid), output appended to {@code log}; returns its pid. */
  private static long launch(Path jar, List<String> args, Path log) throws IOException {
    return startDetached(command(jar, args), log).pid();
  }

  /**
   * Starts {@code command} (a process's {@code argv} from {@code cluster.json}) in a session of its
   * own, so it outlives its starter and a terminal's signals, with its output appended to {@code log}.
   */
  public static Process startDetached(List<String> command, Path log) throws IOException {
    List<String> detached = new ArrayList<>();
    detached.add("setsid");
    detached.addAll(command);
    return new ProcessBuilder(detached)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  private static Map<String, String> awaitEndpoints(Path data, long pid, String name) throws Exception {
    CloudFiles files = new CloudFiles(data);
    return Waiting.untilPresent(TIME, name + " to be ready (its endpoints.json)", () -> {
      Optional<Map<String, String>> endpoints = files.readEndpoints();
      if (endpoints.isEmpty()) {
        requireAlive(pid, name);
      }
      return endpoints;
    }, PROCESS_READY, FILE_POLL);
  }

  private static String awaitNodeLine(Path log, long pid, String name) throws Exception {
    return Waiting.untilPresent(TIME, name + " to enroll (its node line in " + log + ")", () -> {
      Matcher m = NODE_LINE.matcher(Files.exists(log) ? Files.readString(log) : "");
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last == null) {
        requireAlive(pid, name);
      }
      return Optional.ofNullable(last);
    }, PROCESS_READY, FILE_POLL);
  }

  private static void requireAlive(long pid, String name) {
    if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
      throw new IllegalStateException(name + " (pid " + pid + ") exited during start");
    }
  }

  /** Every controller's {@code /lease} names the same holder. */
  private static int awaitAgreedHolder(List<Map<String, String>> controllers) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return Waiting.untilPresent(TIME, "the controllers to agree on a lease holder", () -> {
      Set<String> holders = new HashSet<>();
      for (Map<String, String> c : controllers) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(c.get("lease"))).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
          holders.add(JSON.readTree(r.body()).path("holder").asText("null"));
        } catch (IOException e) {
          holders.add("unreachable");
        }
      }
      return holders.size() == 1 && holders.iterator().next().matches("\\d+")
          ? Optional.of(Integer.parseInt(holders.iterator().next())) : Optional.<Integer>empty();
    }, HOLDER_AGREED, HTTP_POLL);
  }

  private static void awaitNodesAvailable(Path dir, URI console, Set<String> nodeIds) throws Exception {
    Set<String> available = new HashSet<>();
    try {
      Waiting.until(TIME, "nodes " + nodeIds + " to be available", () -> {
        available.clear();
        for (JsonNode node : NodesCommand.fetch(dir, console).path("nodes")) {
          if ("AVAILABLE".equals(node.path("state").asText()) && node.path("capacity").path("vcpus").asInt() > 0) {
            available.add(node.path("nodeId").asText());
          }
        }
        return available.containsAll(nodeIds);
      }, NODES_AVAILABLE, HTTP_POLL);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new java.util.concurrent.TimeoutException(e.getMessage() + " (available: " + available + ")");
    }
  }

  private static Path ownJar() throws Exception {
    Path location = Path.of(LocalCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isRegularFile(location) || !location.getFileName().toString().endsWith(".jar")) {
      throw new IllegalStateException("local-cluster runs from the canopy jar (deploy/canopy), not from " + location);
    }
    return location;
  }
}
