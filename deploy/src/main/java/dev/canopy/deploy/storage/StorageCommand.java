package dev.canopy.deploy.storage;

import dev.canopy.deploy.process.ProcessMetrics;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.Causes;
import dev.canopy.deploy.StopOnSignal;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.ConfigException;
import dev.canopy.deploy.config.ConfigLoader;
import dev.canopy.deploy.config.ControllerList;
import dev.canopy.deploy.config.Ports;
import dev.canopy.deploy.config.RequiredOptions;
import dev.canopy.deploy.process.CloudFiles;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import dev.canopy.deploy.config.StorageNodeList;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code canopy storage}: a process that runs the {@link StorageRole}; its subcommands {@code join}
 * and {@code leave} change the replicated store's membership through a running member. The
 * process's required options are checked in {@link #call()}, not by picocli, which would demand
 * them of the subcommands too.
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description = "Run a storage process: a node of the replicated store (peers on port 8783, Riak HTTP on 8098), S3 (port 8779)"
        + " and the controllers' durable store over mutual TLS (port 8777). --cloud, --data and --controllers are required to run it;"
        + " 'canopy storage join' and 'canopy storage leave' change the store's members.",
    subcommands = {StorageJoinCommand.class, StorageLeaveCommand.class})
public final class StorageCommand implements Callable<Integer> {

  private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(20);

  @Spec
  CommandSpec spec;

  @Option(names = "--cloud", description = "Required: the cloud's identity folder (canopy init's DIR/identity).")
  Path cloud;

  @Option(names = "--data", description = "Required: this process's data folder (canopy init seeds DIR/storage-1).")
  Path data;

  @Option(names = "--id", description = "This storage process's id, named in its certificate (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  String id;

  @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  String bind;

  @Option(names = "--kv-port", description = "Internal key-value port (default 8777; 0 = any).")
  Integer kvPort;

  @Option(names = "--s3-port", description = "S3 port (default 8779; 0 = any).")
  Integer s3Port;

  @Option(names = "--riak-port", description = "Riak HTTP interface port (default 8098; 0 = any).")
  Integer riakPort;

  @Option(names = "--peer-port", description = "Port the other storage nodes dial, mutual TLS (default 8783; the same on every storage node).")
  Integer peerPort;

  @Option(names = "--storage-nodes", split = ",",
      description = "On a first start, every storage node of the replicated store as id=address, the same list on each (default:"
          + " this node alone, at --bind, ready to join). Later the ring in --data decides the members (changed by join and leave),"
          + " and this list only gives or overrides addresses.")
  List<String> storageNodes;

  @Option(names = "--partitions", description = "The ring's partitions when it is created, a power of two (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int partitions;

  @Option(names = "--new", description = "--data is a new, empty folder for a storage node that will join the ring"
      + " (canopy storage join): it takes the cloud's identity. Without it an empty folder is refused.")
  boolean newNode;

  @Option(names = "--anti-entropy-round-seconds", defaultValue = "600",
      description = "How long one round of active anti-entropy takes: every hash tree exchanged with every peer replica once;"
          + " 0 = exchanges back to back (default: ${DEFAULT-VALUE}).")
  long antiEntropyRoundSeconds;

  @Option(names = "--controllers", split = ",",
      description = "Required: every controller as id=address, as canopy controller takes it; S3 reads keys and buckets from their directory (port 8782).")
  List<String> controllers;

  @Option(names = "--config", description = "YAML config file (region, ports, s3, connections); every key has a default.")
  Path config;

  @Override
  public Integer call() throws Exception {
    List<String> missing = RequiredOptions.missing("--cloud", cloud, "--data", data, "--controllers", controllers);
    if (!missing.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Missing required options to run a storage process: " + String.join(", ", missing));
    }
    Time clock = SystemTime.INSTANCE;
    long started = clock.nanoTime();
    CanopyConfig effective;
    List<URI> directory;
    SortedMap<String, String> members;
    try {
      effective = (config == null ? CanopyConfig.defaults() : ConfigLoader.load(config)).withBindAddress(bind);
      Ports ports = effective.ports().override(null, s3Port, null, null).withRiak(riakPort)
          .withPeerDefaults(Ports.LEASE_DEFAULT, Ports.GRID_DEFAULT, kvPort != null ? kvPort : Ports.KV_DEFAULT, Ports.DIRECTORY_DEFAULT,
              peerPort != null ? peerPort : Ports.PEER_DEFAULT);
      effective = effective.withPorts(ports);
      int directoryPort = ports.directory();
      directory = ControllerList.parse(controllers).values().stream()
          .map(address -> URI.create("https://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + directoryPort))
          .toList();
      members = storageNodes == null ? new TreeMap<>() : StorageNodeList.parse(storageNodes);
      if (antiEntropyRoundSeconds < 0) {
        throw new IllegalArgumentException("--anti-entropy-round-seconds must not be negative: " + antiEntropyRoundSeconds);
      }
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("canopy storage: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    StorageRole role;
    var metrics = ProcessMetrics.create();
    try {
      role = StorageRole.start(new StorageRole.Settings(cloud, data, id, effective, () -> directory, members, partitions,
          Duration.ofSeconds(antiEntropyRoundSeconds), newNode),
          new ProcessParts(vertx, clock, new SecureRandom(), metrics));
    } catch (Exception e) {
      System.err.println("canopy storage: " + Causes.describe(e));
      vertx.close();
      return 1;
    }
    try {
      role.serveManagement(vertx, metrics, effective);
    } catch (Exception e) {
      System.err.println("canopy storage: " + Causes.describe(e));
      role.close();
      vertx.close();
      return 1;
    }
    CloudFiles files = new CloudFiles(data);
    files.writeEndpoints(role.endpoints());
    role.endpoints().forEach((name, url) -> System.out.printf("canopy storage: %-10s %s%n", name, url));
    System.out.printf("canopy storage: ready in %.2f s (data %s)%n", (clock.nanoTime() - started) / 1e9, data.toAbsolutePath());
    System.out.flush();
    StopOnSignal.await("canopy storage", () -> {
      files.withdrawEndpoints();
      role.close();
      try {
        Futures.await(vertx.close().toCompletionStage(), STOP_STEP_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        System.err.println("canopy storage: did not stop cleanly: " + e);
      }
    });
    return 0;
  }
}
