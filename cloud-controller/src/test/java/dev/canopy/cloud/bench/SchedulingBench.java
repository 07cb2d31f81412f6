package dev.canopy.cloud.bench;

import dev.canopy.cloud.agents.AgentCluster;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.cloud.agents.AgentServer;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.compute.InstanceType;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.ec2.ComputeOverAgents;
import dev.canopy.cloud.ec2.Ec2Action;
import dev.canopy.cloud.ec2.Ec2TestCloud;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.protocol.HostCapacity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Scheduling throughput (issue 5): RunInstances (MinCount=MaxCount=1) from concurrent SDK
 * clients against many simulated nodes, each a real {@link AgentClient} enrolled with its own
 * one-time token and holding a mutual-TLS WebSocket session to a real {@link AgentServer}, and
 * each answering commands through the real node-side path ({@link NodeCompute}: epoch check,
 * command-id dedupe, RunInstance handler, sparse root disk) over a {@link FakeHypervisor}, so no
 * libvirt. The wiring is RunInstancesOverAgentsTest's (the dev assembly's ComputePlane and
 * AgentPlane). Measures enrollment of all agents, then the wall time from the first request to
 * every instance being {@code running} in the grid (placed, commanded, acked), and the request
 * latencies. Run with bench/scheduling.sh; results in bench/results/scheduling.txt.
 *
 * <p>Arguments: {@code [out] [agents=500] [launches=1000] [threads=16] [enroll-concurrency=16]}.
 */
public final class SchedulingBench {

  private static final String ZONE = Ec2TestCloud.REGION + "a";
  private static final String TYPE = "t3.nano";
  /** Production's interval: 500 agents then send 100 heartbeats a second, as a real cloud would. */
  private static final Duration AGENT_HEARTBEAT = AgentSettings.DEFAULT_HEARTBEAT;
  private static final int WARM_UP = 50;
  private static final Duration STEP_WAIT = Duration.ofSeconds(180);
  /** The whole run is halted after this, whatever state it is in. */
  private static final Duration WATCHDOG = Duration.ofMinutes(20);

  /** The controller side, built inside {@link Ec2TestCloud}'s family factory (where the grid is). */
  private static final class Controller {
    AgentCluster cluster;
    CapacityLedger ledger;
    ImageService images;
    InstanceService instances;
    Grid grid;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/scheduling.txt");
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int launches = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    int enrollConcurrency = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(WATCHDOG.toMillis());
        System.err.println("SchedulingBench: still running after " + WATCHDOG + "; halting");
        Runtime.getRuntime().halt(2);
      } catch (InterruptedException e) {
        // finished in time
      }
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int status = 1;
    try {
      status = new SchedulingBench(agents, launches, threads, enrollConcurrency).run(out);
    } catch (Throwable t) {
      t.printStackTrace();
    }
    // Stray non-daemon threads (SDK, grid) must not keep the JVM alive.
    System.exit(status);
  }

  private final int agentCount;
  private final int launches;
  private final int threads;
  private final int enrollConcurrency;
  private final Path dir;
  private final List<String> notes = new CopyOnWriteArrayList<>();

  private SchedulingBench(int agentCount, int launches, int threads, int enrollConcurrency) throws Exception {
    this.agentCount = agentCount;
    this.launches = launches;
    this.threads = threads;
    this.enrollConcurrency = enrollConcurrency;
    this.dir = Files.createTempDirectory("scheduling-bench");
  }

  private int run(Path out) throws Exception {
    InstanceType nano = InstanceTypes.defaults().find(TYPE).orElseThrow();
    // Room for at least 4 t3.nano a node, and for twice what the run launches in all.
    int slots = Math.max(4, (int) Math.ceil(2.0 * (launches + WARM_UP) / agentCount));
    HostCapacity perNode = new HostCapacity(nano.vcpus() * slots, nano.memoryMib() * slots, nano.diskGib() * slots);
    // One Vert.x for all the agents (their TLS clients, heartbeat timers, command workers), one
    // for the controller's agent server, as two processes would have. Enrollment blocks a
    // worker thread per agent until the controller answers, hence the larger worker pool.
    Vertx agentVertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(Math.max(40, enrollConcurrency * 2)));
    Vertx serverVertx = Vertx.vertx();
    Controller c = new Controller();
    List<AgentCluster.Node> nodes = new CopyOnWriteArrayList<>();
    StringBuilder report = new StringBuilder();
    try (Ec2TestCloud cloud = Ec2TestCloud.start(dir.resolve("cloud"), parts -> wire(c, parts, serverVertx, dir))) {
      try {
        c.cluster.listen();

        // ---- enrollment: each agent with its own token, at most enrollConcurrency at a time ----
        long enrollStart = System.nanoTime();
        Map<String, Integer> enrollFailures = new ConcurrentHashMap<>();
        ExecutorService enrollers = Executors.newFixedThreadPool(enrollConcurrency);
        try {
          List<java.util.concurrent.Future<?>> started = new ArrayList<>();
          for (int n = 0; n < agentCount; n++) {
            int index = n;
            started.add(enrollers.submit(() -> {
              try {
                nodes.add(c.cluster.enroll(agentVertx, "sim-" + index, perNode));
              } catch (Exception e) {
                enrollFailures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
              }
            }));
          }
          for (var f : started) {
            f.get(STEP_WAIT.toSeconds(), TimeUnit.SECONDS);
          }
        } finally {
          enrollers.shutdownNow();
        }
        double enrolledSeconds = seconds(enrollStart);
        boolean allAvailable = eventually("every enrolled node connected and available with its capacity", c.cluster::allAvailable);
        double availableSeconds = seconds(enrollStart);
        String enrollLine = String.format(Locale.ROOT,
            "enrollment: %d of %d agents enrolled (token, EC P-256 key, CSR, POST /v1/enroll over TLS) in %.1f s, "
                + "%d at a time; all connected over mutual TLS and AVAILABLE with their capacity after %.1f s (%.0f agents/s)%s",
            nodes.size(), agentCount, enrolledSeconds, enrollConcurrency, availableSeconds, nodes.size() / availableSeconds,
            enrollFailures.isEmpty() ? "" : "; failures " + enrollFailures);
        System.out.println("SchedulingBench: " + enrollLine);
        if (!allAvailable || nodes.isEmpty()) {
          notes.add("not every enrolled node became available within " + STEP_WAIT.toSeconds() + " s");
        }

        Image image = c.images.registerSystemImage("canopy-tiny", "the tiny bootable image", "canopy-images/tiny/disk.raw",
            "canopy-images/tiny/vmlinuz", "canopy-images/tiny/initrd.img");

        // ---- warm-up: the same path in another account (JIT, SDK, connection pool) ----
        NewAccount warmAccount = cloud.newAccount("scheduling-warm-up");
        Burst warm;
        try (Ec2Client ec2 = client(cloud, warmAccount)) {
          warm = burst(ec2, image, WARM_UP, threads);
        }
        warm.end(eventually("warm-up instances running", () -> countRunning(c.grid, warmAccount) >= warm.launched.size()));
        String warmLine = String.format(Locale.ROOT, "warm-up: %d RunInstances in another account, %d running after %.2f s%s",
            WARM_UP, warm.launched.size(), warm.wallSeconds(), warm.errors.isEmpty() ? "" : "; errors " + warm.errors);
        System.out.println("SchedulingBench: " + warmLine);

        // ---- the measured burst ----
        NewAccount account = cloud.newAccount("scheduling-bench");
        Burst burst;
        try (Ec2Client ec2 = client(cloud, account)) {
          burst = burst(ec2, image, launches, threads);
          System.out.printf(Locale.ROOT, "SchedulingBench: %d requests answered in %.2f s; waiting for the acks%n",
              launches, burst.answeredSeconds());
          boolean allRunning = eventually("every launched instance running in the grid",
              () -> countRunning(c.grid, account) >= burst.launched.size());
          burst.end(allRunning);
        }
        double wall = burst.wallSeconds();
        long running = countRunning(c.grid, account);

        // ---- checks: where things went, and that every node really runs what it was given ----
        List<Instance> records = instances(c.grid, account);
        Map<String, Long> byNode = records.stream().collect(Collectors.groupingBy(Instance::nodeId, TreeMap::new, Collectors.counting()));
        IntSummaryStatistics spread = nodes.stream().mapToInt(n -> byNode.getOrDefault(n.nodeId(), 0L).intValue()).summaryStatistics();
        Capacity total = new Capacity(perNode.vcpus(), perNode.memoryMib(), perNode.diskGib());
        long overCommitted = nodes.stream().filter(n -> !total.fits(c.ledger.used(n.nodeId()))).count();
        // Independently of the ledger: what every live instance record in the grid (both accounts) holds per node.
        Map<String, Capacity> heldByNode = new TreeMap<>();
        c.grid.map(InstanceService.INSTANCES_MAP, Instance.class).values(i -> i.state() != InstanceState.TERMINATED)
            .forEach(i -> heldByNode.merge(i.nodeId(), i.reserved(), Capacity::plus));
        long overCommittedByRecords = heldByNode.values().stream().filter(held -> !total.fits(held)).count();
        long ledgerMismatches = nodes.stream()
            .filter(n -> !c.ledger.used(n.nodeId()).equals(heldByNode.getOrDefault(n.nodeId(), Capacity.ZERO))).count();
        long domains = nodes.stream().mapToLong(AgentCluster.Node::runningDomains).sum();
        Set<String> known = nodes.stream().map(AgentCluster.Node::nodeId).collect(Collectors.toSet());
        long elsewhere = records.stream().filter(i -> !known.contains(i.nodeId())).count();
        if (burst.launched.size() != launches) {
          notes.add((launches - burst.launched.size()) + " RunInstances did not launch: " + burst.errors);
        }
        if (domains != burst.launched.size() + warm.launched.size()) {
          notes.add("the hypervisors run " + domains + " domains, expected " + (burst.launched.size() + warm.launched.size()));
        }
        if (overCommitted > 0 || overCommittedByRecords > 0 || elsewhere > 0) {
          notes.add(overCommitted + " nodes over-committed by the ledger, " + overCommittedByRecords + " by the instance records, "
              + elsewhere + " instances on unknown nodes");
        }
        if (ledgerMismatches > 0) {
          notes.add(ledgerMismatches + " nodes whose ledger differs from what their instances hold");
        }

        double[] ms = burst.latenciesMs();
        report.append(String.format(Locale.ROOT, "Scheduling throughput, %d cores, %s, Java %s, max heap %d MiB%n",
            Runtime.getRuntime().availableProcessors(), java.time.Instant.now(), System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20));
        report.append(String.format(Locale.ROOT,
            "%d simulated nodes: real AgentClients in one JVM (one shared Vert.x), mutual TLS WebSocket sessions to a real AgentServer,"
                + " heartbeat every %d s, each node side NodeCompute over a FakeHypervisor with %d vCPU / %d MiB / %d GiB (%d t3.nano)%n",
            nodes.size(), AGENT_HEARTBEAT.toSeconds(), perNode.vcpus(), perNode.memoryMib(), perNode.diskGib(), slots));
        report.append(enrollLine).append('\n');
        report.append(warmLine).append('\n');
        report.append(String.format(Locale.ROOT,
            "burst: %d RunInstances (%s, MinCount=MaxCount=1) from %d threads, AWS SDK v2 Ec2Client, retries off%n", launches, TYPE, threads));
        report.append(String.format(Locale.ROOT, "  launched %d, errors %s%n", burst.launched.size(), burst.errors));
        report.append(String.format(Locale.ROOT, "  all %d requests answered (pending) after %.2f s: %.1f requests/s%n",
            launches, burst.answeredSeconds(), launches / burst.answeredSeconds()));
        report.append(String.format(Locale.ROOT,
            "  all %d running in the grid (placed, commanded, acked) after %.2f s: %.1f instances/s  [%s]%n",
            running, wall, burst.launched.size() / wall, burst.allRunning ? "complete" : "INCOMPLETE after the wait"));
        report.append(String.format(Locale.ROOT, "  request latency p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
            percentile(ms, 0.50), percentile(ms, 0.90), percentile(ms, 0.99), ms.length == 0 ? 0 : ms[ms.length - 1]));
        report.append(String.format(Locale.ROOT,
            "  placement (SPREAD): %d nodes used, %d..%d instances a node; %d nodes over-committed; %d domains running on the hypervisors"
                + " (burst + warm-up)%n",
            byNode.size(), spread.getMin(), spread.getMax(), overCommitted, domains));
        report.append(String.format(Locale.ROOT,
            "  capacity check from the grid after the burst: %d of %d nodes over-committed by their instance records, %d by the ledger;"
                + " %d nodes whose ledger differs from their instances%n",
            overCommittedByRecords, nodes.size(), overCommitted, ledgerMismatches));
        for (String note : notes) {
          report.append("NOTE: ").append(note).append('\n');
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.print(report);
        return notes.isEmpty() ? 0 : 1;
      } finally {
        long closing = System.nanoTime();
        if (c.cluster != null) {
          c.cluster.close();
        }
        System.out.printf(Locale.ROOT, "SchedulingBench: %d agents closed in %.1f s%n", nodes.size(), seconds(closing));
      }
    } finally {
      quietly(() -> await(agentVertx.close()));
      quietly(() -> await(serverVertx.close()));
      quietly(() -> deleteTree(dir));
    }
  }

  // ---- the burst ----

  private final class Burst {
    final Set<String> launched = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> errors = new ConcurrentHashMap<>();
    final double[] latencies;
    long first;
    long answered;
    long allRunningAt;
    boolean allRunning;

    Burst(int calls) {
      latencies = new double[calls];
      Arrays.fill(latencies, Double.NaN);
    }

    double answeredSeconds() {
      return (answered - first) / 1e9;
    }

    void end(boolean complete) {
      allRunningAt = System.nanoTime();
      allRunning = complete;
    }

    double wallSeconds() {
      return (allRunningAt - first) / 1e9;
    }

    double[] latenciesMs() {
      double[] ms = Arrays.stream(latencies).filter(d -> !Double.isNaN(d)).toArray();
      Arrays.sort(ms);
      return ms;
    }
  }

  /** {@code calls} RunInstances of one instance each from {@code threadCount} threads; returns when all are answered. */
  private Burst burst(Ec2Client ec2, Image image, int calls, int threadCount) throws Exception {
    Burst burst = new Burst(calls);
    ExecutorService pool = Executors.newFixedThreadPool(threadCount);
    try {
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threadCount; t++) {
        workers.add(pool.submit(() -> {
          go.await();
          for (int n = next.getAndIncrement(); n < calls; n = next.getAndIncrement()) {
            long start = System.nanoTime();
            try {
              var response = ec2.runInstances(r -> r.imageId(image.imageId()).instanceType(TYPE).minCount(1).maxCount(1));
              response.instances().forEach(i -> burst.launched.add(i.instanceId()));
            } catch (AwsServiceException e) {
              burst.errors.merge(e.awsErrorDetails().errorCode(), 1, Integer::sum);
            } catch (RuntimeException e) {
              burst.errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            }
            burst.latencies[n] = (System.nanoTime() - start) / 1e6;
          }
          return null;
        }));
      }
      burst.first = System.nanoTime();
      go.countDown();
      for (var worker : workers) {
        worker.get(STEP_WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      burst.answered = System.nanoTime();
    } finally {
      pool.shutdownNow();
    }
    return burst;
  }

  private static Ec2Client client(Ec2TestCloud cloud, NewAccount account) {
    // Without retries: InsufficientInstanceCapacity is a 5xx the SDK would otherwise retry.
    return Ec2Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(Ec2TestCloud.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            account.credential().accessKeyId(), account.credential().secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  // ---- wiring (RunInstancesOverAgentsTest's, which is the dev assembly's) ----

  /** The agent plane and the compute families, wired as ComputePlane and AgentPlane wire them. */
  private static List<Ec2Action> wire(Controller c, Ec2TestCloud.Parts parts, Vertx serverVertx, Path dir) {
    Grid grid = parts.grid();
    c.grid = grid;
    c.cluster = new AgentCluster(grid, parts.clock(), parts.random(), serverVertx, dir,
        new AgentCluster.Options("scheduling-bench", ZONE, AGENT_HEARTBEAT, Duration.ofMinutes(30), Duration.ofSeconds(90)));
    // Every simulated agent dials from 127.0.0.1, where real nodes each have their own address: the
    // per-address cap (256) would refuse half of them, so it is lifted to the total cap here.
    ConnectionLimits limits = ConnectionLimits.DEFAULTS;
    c.cluster.server().withConnectionLimits(new ConnectionLimits(limits.connectionsMax(), limits.connectionsMax(),
        limits.idleTimeout(), limits.headTimeout()));

    ComputeOverAgents compute = new ComputeOverAgents(parts, c.cluster, ZONE, TYPE);
    c.images = compute.images;
    c.ledger = compute.ledger;
    c.instances = compute.instances;
    return compute.actions;
  }

  private static List<Instance> instances(Grid grid, NewAccount account) {
    String accountId = account.account().id();
    return grid.map(InstanceService.INSTANCES_MAP, Instance.class).values(i -> i.ownerId().equals(accountId));
  }

  private static long countRunning(Grid grid, NewAccount account) {
    String accountId = account.account().id();
    return grid.map(InstanceService.INSTANCES_MAP, Instance.class)
        .values(i -> i.ownerId().equals(accountId) && i.state() == InstanceState.RUNNING).size();
  }

  // ---- helpers ----

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception | LinkageError e) {
      System.err.println("SchedulingBench: cleanup step failed: " + e);
    }
  }

  /** Polls every 10 ms; false (not an exception) when the bounded wait runs out. */
  private static boolean eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        System.err.println("SchedulingBench: not within " + STEP_WAIT.toSeconds() + " s: " + what);
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return await(future, Duration.ofSeconds(60));
  }

  private static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
