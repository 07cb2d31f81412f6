package dev.canopy.deploy.controller;

import dev.canopy.deploy.process.ProcessMetrics;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.config.ControllerList;
import dev.canopy.deploy.config.Ports;
import dev.canopy.deploy.config.RequiredOptions;
import dev.canopy.deploy.process.CloudFiles;
import io.vertx.core.Vertx;
import java.security.SecureRandom;

import dev.canopy.deploy.Causes;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.ConfigException;
import java.net.URI;
import java.util.List;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import dev.canopy.deploy.StopOnSignal;
import dev.canopy.deploy.config.EndpointOptions;
import dev.canopy.deploy.admin.ControllerSetCommands;

/**
 * {@code canopy controller}: one controller of a cloud of 1, 3 or 5. Each serves EC2 and the
 * admin API, holds a grid member and a PaxosLease node; the lease holder schedules and commands.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = "Run a controller: EC2 and admin endpoints, a grid member, a PaxosLease node; the lease holder schedules."
        + " join, leave and list change and show the controller set of a running cloud.",
    subcommands = {ControllerSetCommands.Join.class, ControllerSetCommands.Leave.class, ControllerSetCommands.List.class})
public final class ControllerCommand implements Callable<Integer> {

  private static final java.time.Duration STOP_STEP_TIMEOUT = java.time.Duration.ofSeconds(20);

  @Option(names = "--cloud", description = "The cloud's identity folder (canopy init's DIR/identity).")
  Path cloud;

  @Option(names = "--data", description = "This controller's data folder.")
  Path data;

  @Option(names = "--id", description = "This controller's id (1..255), a key of --controllers.")
  Integer id;

  @Option(names = "--controllers", split = ",",
      description = "Every controller as id=address, this one included, the same on each, e.g. 1=10.0.0.1,2=10.0.0.2,3=10.0.0.3;"
          + " it seeds the controller set at the first start, which then changes by `canopy controller join|leave`. "
          + "Grid port 5701 (mutual TLS between hosts) and lease port 8776 on each address.")
  java.util.List<String> controllers;

  @Option(names = "--storage", split = ",",
      description = "Every storage node's internal key-value URL, e.g. https://10.0.0.9:8777,https://10.0.0.10:8777;"
          + " calls move on to the next when one cannot answer.")
  List<URI> storage;

  @Option(names = "--s3", split = ",",
      description = "The S3 endpoints nodes download images from, one per storage node; a node tries the next when one cannot serve"
          + " (default: every --storage host on port 8779).")
  List<URI> s3;

  @Option(names = "--guests", description = "real: nodes run libvirtd and get image links and firewalls; none: nodes on libvirt's test driver (default: ${DEFAULT-VALUE}).",
      defaultValue = "real")
  String guests;

  @Mixin
  EndpointOptions endpoints;

  @Spec
  CommandSpec spec;

  /** Never set from the command line: see {@link #leadingPastItsDeadline()}. */
  private final boolean skipDeadlineCheck;

  public ControllerCommand() {
    this(false);
  }

  private ControllerCommand(boolean skipDeadlineCheck) {
    this.skipDeadlineCheck = skipDeadlineCheck;
  }

  /**
   * A controller that keeps leading past its lease's deadline: the stale holder whose every side
   * effect the fencing epoch must stop. Only a test's own launcher builds one; no flag of the
   * {@code canopy} command does.
   */
  public static ControllerCommand leadingPastItsDeadline() {
    return new ControllerCommand(true);
  }

  @Override
  public Integer call() throws Exception {
    java.util.List<String> missing = RequiredOptions.missing("--cloud", cloud, "--data", data, "--id", id,
        "--controllers", controllers, "--storage", storage);
    if (!missing.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Missing required options to run a controller (or a subcommand: join, leave,"
          + " list): " + String.join(", ", missing));
    }
    SortedMap<Integer, String> addresses;
    try {
      addresses = ControllerList.parse(controllers);
    } catch (IllegalArgumentException e) {
      System.err.println("canopy controller: " + e.getMessage());
      return 2;
    }
    if (!addresses.containsKey(id)) {
      System.err.println("canopy controller: --id " + id + " is not among --controllers " + addresses.keySet());
      return 2;
    }
    if (!guests.equals("real") && !guests.equals("none")) {
      System.err.println("canopy controller: --guests must be real or none, not " + guests);
      return 2;
    }
    List<URI> imageEndpoints = s3 != null ? List.copyOf(s3)
        : storage.stream().map(kv -> URI.create("http://" + kv.getHost() + ":" + Ports.S3_DEFAULT)).distinct().toList();
    CanopyConfig effective;
    try {
      effective = endpoints.effective(null, addresses.get(id));
    } catch (ConfigException e) {
      System.err.println("canopy controller: " + e.getMessage());
      return 2;
    }
    effective = effective.withPorts(effective.ports().withPeerDefaults(Ports.LEASE_DEFAULT, Ports.GRID_DEFAULT, Ports.KV_DEFAULT,
        Ports.DIRECTORY_DEFAULT, Ports.PEER_DEFAULT));
    Time clock = SystemTime.INSTANCE;
    long started = clock.nanoTime();
    Vertx vertx = Vertx.vertx();
    ControllerRole controller;
    try {
      controller = ControllerRole.start(new ControllerRole.Settings(cloud, data, id, addresses, storage, () -> imageEndpoints,
          guests.equals("real"), effective, skipDeadlineCheck, true),
          new ProcessParts(vertx, clock, new SecureRandom(), ProcessMetrics.create()));
    } catch (Exception e) {
      System.err.println("canopy controller: could not start: " + Causes.describe(e));
      vertx.close();
      return 1;
    }
    CloudFiles files = new CloudFiles(data);
    // Left the controller set (`canopy controller leave`): stop as on SIGTERM, from a thread of its
    // own since exit waits for the shutdown hook, which closes the controller.
    controller.whenLeft(() -> new Thread(() -> System.exit(0), "controller-left").start());
    files.writeEndpoints(controller.endpoints());
    controller.endpoints().forEach((name, url) -> System.out.printf("canopy controller %d: %-10s %s%n", id, name, url));
    System.out.printf("canopy controller %d: ready in %.2f s (data %s)%n", id, (clock.nanoTime() - started) / 1e9, data.toAbsolutePath());
    System.out.flush();
    StopOnSignal.await("canopy controller " + id, () -> {
      files.withdrawEndpoints();
      controller.close();
      try {
        Futures.await(vertx.close().toCompletionStage(), STOP_STEP_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        System.err.println("canopy controller " + id + ": did not stop cleanly: " + e);
      }
    });
    return 0;
  }
}
