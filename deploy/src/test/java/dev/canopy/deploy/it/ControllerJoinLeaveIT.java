package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The controller set changed at run time, between processes ({@code canopy local-cluster up} with
 * three controllers, then {@code canopy controller join|leave|list} as an operator runs them): a
 * fourth controller joins and takes part in the lease, the holder is killed with SIGKILL and one of
 * the other three takes over, the dead one is removed (the replace-a-failed-controller procedure of
 * docs/operations.md), then a live one leaves and stops by itself, and one of the two left restarts
 * from its original command line. After every step every controller of the set names one holder,
 * and a tenant calling EC2 DescribeInstances round the controllers meanwhile gets every answer.
 * Its own subnet, 127.0.11.x.
 */
@Isolated
class ControllerJoinLeaveIT {

  private static final String SUBNET = "127.0.11";
  /** A change costs one quarantine (maxLease, seconds) and the holder's election; a loaded machine gets slack. */
  private static final Duration SETTLED = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalClusterHarness cluster;
  private static Path dir;

  @BeforeAll
  static void up() throws Exception {
    dir = Files.createTempDirectory("canopy-join-it");
    cluster = LocalClusterHarness.up(dir, SUBNET, 3, 0, "--storage", "1");
  }

  @AfterAll
  static void down() throws Exception {
    LocalClusterHarness.downAndClean(cluster, dir, "controller-join-it-logs");
  }

  /** The controllers the background tenant calls: any of them but one about to be killed or to leave. */
  private static volatile List<Integer> targets = List.of();
  private static final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();

  @Test
  void aControllerJoinsTheHolderDiesAndIsReplacedAndAnotherLeaves() throws Exception {
    targets = cluster.controllerIds();
    Thread tenant = new Thread(ControllerJoinLeaveIT::describeThroughout, "tenant");
    tenant.setDaemon(true);
    tenant.start();
    try {
      changeTheSet();
    } finally {
      tenant.interrupt();
      tenant.join(60_000);
    }
    assertThat(failures).as("DescribeInstances failures while the set changed").isEmpty();
    assertThat(answers.get()).as("DescribeInstances answers while the set changed").isGreaterThan(10);
  }

  /** A tenant's program calling DescribeInstances every 200 ms, round the controllers, with the SDK's usual retries. */
  private static void describeThroughout() {
    int turn = 0;
    while (!Thread.currentThread().isInterrupted()) {
      List<Integer> now = targets;
      if (now.isEmpty()) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      int id = now.get(turn++ % now.size());
      try (Ec2Client ec2 = cluster.ec2At(URI.create(cluster.controller(id).path("ec2").asText()))) {
        ec2.describeInstances();
        answers.incrementAndGet();
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
          return;
        }
        failures.add("controller " + id + ": " + e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void changeTheSet() throws Exception {
    int first = cluster.awaitAgreedHolder(cluster.controllerIds(), SETTLED);
    JsonNode seeded = list(1);
    assertThat(seeded.path("version").asLong()).isZero();
    assertThat(seeded.path("settled").asBoolean()).isTrue();
    assertThat(ids(seeded)).containsExactly(1, 2, 3);
    describeOnEveryController();

    // A refusal is printed readably, with the API's code, and exits non-zero.
    var unknown = cli("leave", 1, "--id", "9");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("NoSuchController").contains("HTTP 404").contains("controller 9 is not in the controller set");

    // Join: recorded first (every controller adopts version 1), then controller 4 starts.
    var joined = cli("join", first, "--id", "4", "--address", SUBNET + ".4");
    assertThat(joined.exit()).as(joined.stderr()).isZero();
    assertThat(joined.stdout()).contains("controller set version 1");
    SortedMap<Integer, String> set = new TreeMap<>();
    for (int id = 1; id <= 4; id++) {
      set.put(id, SUBNET + "." + id);
    }
    cluster.startJoined(4, 1, set);
    targets = cluster.controllerIds();
    int holder = awaitSettled(1, List.of(1, 2, 3, 4));
    assertThat(cluster.lease(holder).orElseThrow().path("acceptors").toString()).isEqualTo("[1,2,3,4]");
    assertThat(list(4).path("controllers").findValuesAsText("reachable")).containsOnly("true");
    // One change at a time: settled, so a second join would be judged on its own (here: its address is taken).
    var taken = cli("join", 4, "--id", "5", "--address", SUBNET + ".4");
    assertThat(taken.exit()).isEqualTo(1);
    assertThat(taken.stderr()).contains("AddressInUse");
    describeOnEveryController();

    // The holder dies: three of four are a majority, one of them takes over.
    List<Integer> alive = cluster.others(holder);
    targets = alive;
    cluster.kill9(holder);
    int successor = cluster.awaitNewHolder(alive, holder, Duration.ofSeconds(60));
    assertThat(alive).contains(successor);
    cluster.forget(holder);
    describeOnEveryController();

    // Replace the failed controller: it leaves the set while dead (version 2).
    var removed = cli("leave", successor, "--id", Integer.toString(holder));
    assertThat(removed.exit()).as(removed.stderr()).isZero();
    assertThat(removed.stdout()).contains("controller set version 2");
    int afterRemoval = awaitSettled(2, alive);
    assertThat(cluster.lease(afterRemoval).orElseThrow().path("acceptors").toString())
        .isEqualTo(alive.toString().replace(" ", ""));
    describeOnEveryController();

    // A live controller that is not the holder leaves (version 3) and stops by itself.
    int leaving = alive.stream().filter(id -> id != afterRemoval).findFirst().orElseThrow();
    long leavingPid = cluster.pid(leaving);
    targets = alive.stream().filter(id -> id != leaving).toList();
    var left = cli("leave", afterRemoval, "--id", Integer.toString(leaving));
    assertThat(left.exit()).as(left.stderr()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(leavingPid).map(p -> !p.isAlive()).orElse(true));
    cluster.forget(leaving);
    List<Integer> remaining = cluster.controllerIds();
    awaitSettled(3, remaining);
    assertThat(ids(list(remaining.get(0)))).containsExactlyElementsOf(remaining);
    describeOnEveryController();

    // A restart from the command line local-cluster gave it (--controllers 1=…,2=…,3=…, of which
    // only it is left): it meets the set it last followed, not the one it was started with. A set
    // of two has no majority while one is down, so the other answers 503 meanwhile, as it should:
    // the tenant pauses for this step.
    int restarted = remaining.stream().filter(id -> id <= 3).findFirst().orElseThrow();
    targets = List.of();
    cluster.stop(restarted);
    cluster.restart(restarted);
    targets = remaining;
    cluster.awaitAgreedHolder(remaining, SETTLED);
    await().atMost(SETTLED).until(() -> remaining.stream().allMatch(cluster::ready));
    assertThat(list(restarted).path("version").asLong()).isEqualTo(3);
    describeOnEveryController();
  }

  /** Waits until the record's version is {@code version} and settled, and {@code ids} agree on one holder; returns it. */
  private static int awaitSettled(long version, List<Integer> ids) {
    await().atMost(SETTLED).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
      JsonNode set = list(ids.get(0));
      return set.path("version").asLong() == version && set.path("settled").asBoolean();
    });
    return cluster.awaitAgreedHolder(ids, SETTLED);
  }

  private static JsonNode list(int via) throws Exception {
    var listed = CanopyCli.run(dir, "controller", "list", "--data", dir.toString(), "--admin", console(via).toString(), "--json");
    assertThat(listed.exit()).as(listed.stderr()).isZero();
    return JSON.readTree(listed.stdout());
  }

  private static CanopyCli.Result cli(String action, int via, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("controller", action, "--data", dir.toString(), "--admin", console(via).toString()));
    argv.addAll(List.of(args));
    return CanopyCli.run(dir, argv.toArray(String[]::new));
  }

  private static URI console(int id) {
    return URI.create(cluster.controller(id).path("console").asText());
  }

  private static List<Integer> ids(JsonNode set) {
    List<Integer> ids = new ArrayList<>();
    set.path("controllers").forEach(c -> ids.add(c.path("id").asInt()));
    return ids;
  }

  /** What a tenant's program sees: DescribeInstances through the SDK (its usual retries) on each controller of the set. */
  private static void describeOnEveryController() throws Exception {
    for (int id : cluster.controllerIds()) {
      try (Ec2Client ec2 = cluster.ec2At(URI.create(cluster.controller(id).path("ec2").asText()))) {
        assertThat(ec2.describeInstances().reservations()).as("controller %d answers DescribeInstances", id).isNotNull();
      }
    }
  }
}
