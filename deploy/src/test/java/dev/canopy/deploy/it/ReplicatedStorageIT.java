package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.deploy.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;

/**
 * Three storage processes form one ring of the replicated store (local-cluster --storage 3, on
 * 127.0.9.x, apart from the other cluster ITs' subnets): EC2 writes go on while one storage node
 * is killed with kill -9, and every write acknowledged is still there afterwards, read back by a
 * controller restarted while another storage node is down (so it loads from the store, not from
 * its memory).
 */
class ReplicatedStorageIT {

  private static final String SUBNET = "127.0.9";
  private static final int WRITES_BEFORE_KILL = 15;
  private static final int WRITES_AFTER_KILL = 25;

  @TempDir static Path dir;
  static LocalClusterHarness cluster;

  @BeforeAll
  static void up() throws Exception {
    cluster = LocalClusterHarness.up(dir, SUBNET, 1, 0, "--storage", "3");
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      cluster.close();
      LocalClusterHarness.keepLogs(dir, "replicated-storage-logs");
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesKill9OfAStorageNode() throws Exception {
    JsonNode storage = cluster.cluster().path("storage");
    assertThat(storage).hasSize(3);
    for (JsonNode node : storage) {
      assertThat(node.path("riak").asText()).startsWith("http://" + SUBNET + ".10");
      assertThat(node.path("internal").asText()).startsWith("https://" + SUBNET + ".10");
      assertThat(node.path("pid").asLong()).isPositive();
    }

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      try (Ec2Client ec2 = cluster.ec2(1)) {
        for (int i = 0; writing.get(); i++) {
          String name = "load-" + i;
          try {
            ec2.createKeyPair(k -> k.keyName(name));
            acknowledged.add(name);
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= WRITES_BEFORE_KILL);
      // The first storage node is the one the controller asks first: its calls must move on.
      kill9(storage.get(0));
      int atKill = acknowledged.size();
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= atKill + WRITES_AFTER_KILL);
    } finally {
      writing.set(false);
      writer.join(TimeUnit.MINUTES.toMillis(1));
    }
    System.out.printf("ReplicatedStorageIT: %d writes acknowledged, %d failed%n", acknowledged.size(), failed.get());

    try (Ec2Client ec2 = cluster.ec2(1)) {
      assertThat(names(ec2.describeKeyPairs().keyPairs())).containsAll(acknowledged);
    }

    // Bring the killed node back, then lose another: the controller, restarted, loads every
    // record from the two that remain (one of which missed writes while it was down).
    restart(storage.get(0));
    kill9(storage.get(1));
    cluster.kill9(1);
    cluster.restart(1);
    try (Ec2Client ec2 = cluster.ec2(1)) {
      await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
          .untilAsserted(() -> assertThat(names(ec2.describeKeyPairs().keyPairs())).containsAll(acknowledged));
      ec2.createKeyPair(k -> k.keyName("after-restart"));
    }
  }

  private static List<String> names(List<KeyPairInfo> pairs) {
    return pairs.stream().map(KeyPairInfo::keyName).toList();
  }

  private static void kill9(JsonNode node) throws Exception {
    long pid = node.path("pid").asLong();
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -9 storage %s", node.path("id")).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  /** Starts a storage node again from the command line cluster.json recorded; returns once it is ready. */
  private static void restart(JsonNode node) throws Exception {
    Path data = Path.of(node.path("data").asText());
    // A kill -9 leaves the old endpoints.json behind; readiness is a new one.
    Files.deleteIfExists(data.resolve("endpoints.json"));
    List<String> argv = new ArrayList<>();
    node.path("argv").forEach(a -> argv.add(a.asText()));
    Process p = LocalCluster.startDetached(argv, Path.of(node.path("log").asText()));
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(data.resolve("endpoints.json")) || !p.isAlive());
    assertThat(p.isAlive()).as("storage %s restarted; log %s", node.path("id"), node.path("log").asText()).isTrue();
  }
}
