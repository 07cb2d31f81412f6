package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.agents.AgentCluster;
import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceState;
import dev.canopy.cloud.compute.InstanceType;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Issue 3's burst against real agents: 200 concurrent RunInstances through the real EC2
 * endpoint, the real scheduler over the real node registry, and three real node agents enrolled
 * with one-time tokens and talking mutual TLS to a real agent server. Each agent runs the real
 * node-side command path ({@link NodeCompute}: epoch check, command-id dedupe, RunInstance
 * handler) over its own small {@link FakeHypervisor}. No node may be over-committed, everything
 * that fits must run on the node that holds its reservation, and the overflow must be refused
 * with InsufficientInstanceCapacity.
 */
class RunInstancesOverAgentsTest {

  private static final String ZONE = Ec2TestCloud.REGION + "a";
  private static final String TYPE = "t3.micro";
  private static final int CALLS = 200;
  private static final int THREADS = 16;
  private static final Duration AGENT_HEARTBEAT = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * One small node: CPUs and memory as its hypervisor reports them, disk from its settings. A
   * t3.micro (2 vCPU, 1024 MiB, 8 GiB) fits 2 on the first (all three bind), 3 on the second
   * (memory binds) and 4 on the third (disk binds): 9 in all.
   */
  private record NodeSpec(String name, int cpus, long memoryMib, long diskGib) {
    HostCapacity capacity() {
      return new HostCapacity(cpus, memoryMib, diskGib);
    }

    int fits(InstanceType type) {
      return (int) Math.min(cpus / type.vcpus(), Math.min(memoryMib / type.memoryMib(), diskGib / type.diskGib()));
    }
  }

  private static final List<NodeSpec> SPECS = List.of(
      new NodeSpec("small", 4, 2048, 20),
      new NodeSpec("memory-bound", 8, 3072, 100),
      new NodeSpec("disk-bound", 16, 16384, 35));

  /** One enrolled agent with its node side, and the spec it was given. */
  private record AgentNode(NodeSpec spec, AgentCluster.Node node) {
    String nodeId() {
      return node.nodeId();
    }
  }

  /** The controller side, built inside {@link Ec2TestCloud}'s family factory (where the grid is). */
  private static final class Controller {
    InstanceTypes types;
    AgentCluster cluster;
    CapacityLedger ledger;
    ImageService images;
    InstanceService instances;
    Grid grid;
  }

  @TempDir Path dir;

  @Test
  void burstOverThreeRealAgentsNeverOverCommitsAndRefusesTheOverflow() throws Exception {
    InstanceType micro = InstanceTypes.defaults().find(TYPE).orElseThrow();
    Vertx agentVertx = Vertx.vertx();
    Controller c = new Controller();
    List<AgentNode> nodes = new ArrayList<>();
    try {
      try (Ec2TestCloud cloud = Ec2TestCloud.start(dir.resolve("cloud"), parts -> wire(c, parts, agentVertx, dir))) {
        try {
          c.cluster.listen();

          // Three agents, each enrolling with its own one-time token over the real transport.
          for (NodeSpec spec : SPECS) {
            nodes.add(new AgentNode(spec, c.cluster.enroll(agentVertx, spec.name(), spec.capacity())));
          }
          assertThat(nodes.stream().map(AgentNode::nodeId).distinct()).hasSize(3);
          eventually("all three nodes available with their hypervisor's capacity", c.cluster::allAvailable);

          Image image = c.images.registerSystemImage("canopy-tiny", "the tiny bootable image", "canopy-images/tiny/disk.raw",
              "canopy-images/tiny/vmlinuz", "canopy-images/tiny/initrd.img");
          NewAccount account = cloud.newAccount("burst-over-agents");
          int expected = SPECS.stream().mapToInt(s -> s.fits(micro)).sum();
          assertThat(expected).isEqualTo(9);

          long started = System.nanoTime();
          // Without retries: InsufficientInstanceCapacity is a 5xx the SDK would otherwise retry.
          try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(Ec2TestCloud.REGION))
              .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                  account.credential().accessKeyId(), account.credential().secretAccessKey())))
              .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
              .build()) {
            Set<String> launched = ConcurrentHashMap.newKeySet();
            AtomicInteger launchedCalls = new AtomicInteger();
            Map<String, Integer> refusals = new ConcurrentHashMap<>();
            Map<String, String> refusalMessages = new ConcurrentHashMap<>();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
              List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
              for (int n = 0; n < CALLS; n++) {
                calls.add(pool.submit(() -> {
                  try {
                    var response = ec2.runInstances(r -> r.imageId(image.imageId()).instanceType(TYPE).minCount(1).maxCount(1));
                    launchedCalls.incrementAndGet();
                    response.instances().forEach(i -> launched.add(i.instanceId()));
                  } catch (AwsServiceException e) {
                    refusals.merge(e.awsErrorDetails().errorCode(), 1, Integer::sum);
                    refusalMessages.putIfAbsent(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
                  } catch (RuntimeException e) {
                    unexpected.add(e);
                  }
                }));
              }
              for (var call : calls) {
                call.get(120, TimeUnit.SECONDS);
              }
            } finally {
              pool.shutdownNow();
            }
            System.out.printf("RunInstancesOverAgentsTest: %d RunInstances over %d threads in %d ms: %d launched, refusals %s%n",
                CALLS, THREADS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), launched.size(), refusals);

            // Every call answered: a launch of exactly one instance, or InsufficientInstanceCapacity.
            assertThat(unexpected).isEmpty();
            assertThat(refusals).as("refusals, with a message of each kind: %s", refusalMessages)
                .containsOnlyKeys("InsufficientInstanceCapacity");
            assertThat(launchedCalls.get() + refusals.get("InsufficientInstanceCapacity")).isEqualTo(CALLS);
            assertThat(launched).hasSize(launchedCalls.get());
            // Exactly what fits: nothing over, and nothing refused while a node still had room.
            assertThat(launched).hasSize(expected);

            // Where each instance was placed: the grid's records (EC2 does not show node ids).
            List<Instance> records = instanceRecords(c.grid, account);
            assertThat(records).extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(launched);
            Map<String, List<Instance>> byNode = records.stream().collect(Collectors.groupingBy(Instance::nodeId, TreeMap::new, Collectors.toList()));
            assertThat(byNode.keySet()).isSubsetOf(nodes.stream().map(AgentNode::nodeId).toList());
            for (AgentNode node : nodes) {
              List<Instance> placed = byNode.getOrDefault(node.nodeId(), List.of());
              Capacity sum = placed.stream().map(i -> c.types.find(i.instanceType()).orElseThrow().capacity())
                  .reduce(Capacity.ZERO, Capacity::plus);
              Capacity total = new Capacity(node.spec().cpus(), node.spec().memoryMib(), node.spec().diskGib());
              assertThat(total.fits(sum)).as("%s (%s) over-committed: %s placed on %s", node.spec().name(), node.nodeId(), sum, total).isTrue();
              assertThat(placed).as("instances on %s", node.spec().name()).hasSize(node.spec().fits(micro));
              assertThat(c.ledger.used(node.nodeId())).as("reserved on %s", node.spec().name()).isEqualTo(sum);
            }

            // Each agent's hypervisor really runs exactly the instances placed on its node, and
            // the heartbeats report them.
            for (AgentNode node : nodes) {
              Set<String> placedIds = byNode.getOrDefault(node.nodeId(), List.of()).stream().map(Instance::instanceId)
                  .collect(Collectors.toCollection(java.util.TreeSet::new));
              eventually(node.spec().name() + " runs exactly its " + placedIds.size() + " instances",
                  () -> node.node().runningInstances().equals(placedIds));
              eventually(node.spec().name() + "'s heartbeat reports them", () -> c.cluster.registry().get(node.nodeId()).map(NodeRecord::domains)
                  .map(ds -> ds.stream().filter(d -> "running".equals(d.state())).map(DomainReport::instanceId)
                      .collect(Collectors.toCollection(java.util.TreeSet::new)).equals(placedIds))
                  .orElse(false));
              assertThat(node.node().hypervisor().list()).as("domains on %s", node.spec().name()).hasSize(placedIds.size());
              // One define and one start per instance: no command acted twice.
              assertThat(node.node().hypervisor().calls(FakeHypervisor.Op.DEFINE)).isEqualTo(placedIds.size());
              assertThat(node.node().hypervisor().calls(FakeHypervisor.Op.START)).isEqualTo(placedIds.size());
              // The commands went through the epoch check, which made the controller's epoch durable.
              assertThat(node.node().compute().heldEpoch()).isEqualTo(Leadership.single().epoch());
            }

            // The acks moved every launched instance to running (no reconcile loop runs here).
            eventually("every launched instance running in the grid", () -> instanceRecords(c.grid, account).stream()
                .allMatch(i -> i.state() == InstanceState.RUNNING));
            var described = ec2.describeInstancesPaginator(r -> { }).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
            assertThat(described).extracting(i -> i.instanceId()).containsExactlyInAnyOrderElementsOf(launched);
            assertThat(described).allSatisfy(i -> assertThat(i.state().name()).isEqualTo(InstanceStateName.RUNNING));
            System.out.printf("RunInstancesOverAgentsTest: all %d running after %d ms%n", launched.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          }
        } finally {
          if (c.cluster != null) {
            c.cluster.close();
          }
        }
      }
    } finally {
      await(agentVertx.close());
    }
  }

  /** The agent plane and the compute families, wired as the dev assembly (ComputePlane, AgentPlane) wires them. */
  private static List<Ec2Action> wire(Controller c, Ec2TestCloud.Parts parts, Vertx agentVertx, Path dir) {
    Grid grid = parts.grid();
    c.grid = grid;
    c.cluster = new AgentCluster(grid, parts.clock(), parts.random(), agentVertx, dir,
        new AgentCluster.Options("over-agents", ZONE, AGENT_HEARTBEAT, Duration.ofMinutes(10), Duration.ofSeconds(30)));

    ComputeOverAgents compute = new ComputeOverAgents(parts, c.cluster, ZONE, TYPE);
    c.types = compute.types;
    c.images = compute.images;
    c.ledger = compute.ledger;
    c.instances = compute.instances;
    return compute.actions;
  }

  private static List<Instance> instanceRecords(Grid grid, NewAccount account) {
    String accountId = account.account().id();
    return grid.map(InstanceService.INSTANCES_MAP, Instance.class).values(i -> i.ownerId().equals(accountId));
  }

  private static void eventually(String what, BooleanSupplier condition) {
    try {
      Awaitility.await()
          .atMost(WAIT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20))
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
