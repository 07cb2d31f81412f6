package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.deploy.cluster.LocalCluster;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three storage processes form one ring of the replicated store (local-cluster --storage 3, on
 * 127.0.9.x, apart from the other cluster ITs' subnets):
 *
 * <ul>
 *   <li>EC2 writes go on while one storage node is killed with kill -9, and every write
 *       acknowledged is still there afterwards, read back by a controller restarted while another
 *       storage node is down (so it loads from the store, not from its memory);
 *   <li>Riak HTTP clients writing with w=2 lose no acknowledged key to a kill -9; the node killed
 *       catches up once back, so that it alone can answer every key; and a quorum that cannot be
 *       met is Riak's 503.
 * </ul>
 *
 * Each test starts with the three storage nodes running.
 */
@Isolated
class ReplicatedStorageIT {

  private static final String SUBNET = "127.0.9";
  private static final int WRITES_BEFORE_KILL = 15;
  private static final int WRITES_AFTER_KILL = 25;
  private static final int RIAK_WRITERS = 8;
  private static final int RIAK_WRITES_BEFORE_KILL = 1_000;
  private static final int RIAK_WRITES_AFTER_KILL = 1_000;
  private static final int READ_ATTEMPTS = 5;
  private static final int S3_WRITERS = 4;
  private static final int S3_WRITES_BEFORE_KILL = 40;
  private static final int S3_WRITES_AFTER_KILL = 40;
  /**
   * A node's round: per partition it owns (64 / 3, so at most 22), per preference list holding
   * it (3), per other replica of that list (2): at most 132 exchanges.
   */
  private static final int TWO_ROUNDS_OF_EXCHANGES = 2 * 22 * 3 * 2;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static LocalClusterHarness cluster;

  @BeforeAll
  static void up() throws Exception {
    cluster = LocalClusterHarness.up(dir, SUBNET, 1, 0, "--storage", "3", "--anti-entropy-round-seconds", "10");
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      cluster.close();
      LocalClusterHarness.keepLogs(dir, "replicated-storage-logs");
    }
  }

  /** The storage nodes' current process ids by their index in cluster.json (a restart changes them). */
  private static final Map<Integer, Long> PIDS = new ConcurrentHashMap<>();

  @BeforeEach
  void everyStorageNodeRuns() throws Exception {
    JsonNode storage = cluster.cluster().path("storage");
    for (int i = 0; i < storage.size(); i++) {
      long pid = PIDS.computeIfAbsent(i, index -> storage.get(index).path("pid").asLong());
      if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        restart(i);
      }
    }
  }

  @Test
  void riakClientsWritingWithW2LoseNothingToKill9AndTheNodeKilledCatchesUp() throws Exception {
    JsonNode storage = cluster.cluster().path("storage");
    List<String> riak = new ArrayList<>();
    storage.forEach(node -> riak.add(node.path("riak").asText()));
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger next = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < RIAK_WRITERS; t++) {
      int writerIndex = t;
      // Writers to nodes 1 and 2 only: node 0 is the one killed, and its writers' failures would
      // only show that a dead node answers nothing.
      String via = riak.get(1 + writerIndex % 2);
      Thread writer = new Thread(() -> {
        while (writing.get()) {
          String key = "k" + next.getAndIncrement();
          try {
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(via + "/buckets/load/keys/" + key + "?w=2&dw=2"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("value of " + key)).build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() == 204 || put.statusCode() == 200) {
              acknowledged.add(key);
            } else {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      }, "riak-writer-" + t);
      writer.start();
      writers.add(writer);
    }
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= RIAK_WRITES_BEFORE_KILL);
      kill9(0);
      int atKill = acknowledged.size();
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= atKill + RIAK_WRITES_AFTER_KILL);
    } finally {
      writing.set(false);
      for (Thread writer : writers) {
        writer.join(TimeUnit.MINUTES.toMillis(1));
      }
    }
    System.out.printf("ReplicatedStorageIT: %d Riak writes acknowledged with w=2, %d failed%n", acknowledged.size(), failed.get());

    for (String survivor : riak.subList(1, 3)) {
      for (String key : acknowledged) {
        assertReadable(survivor, key, "");
      }
    }

    // Back, the node killed gets the writes it missed from active anti-entropy alone: with three
    // nodes and N=3 there was no fallback to hold hints, and nothing reads the keys meanwhile (a
    // read would repair them). Each of its exchanges compares one preference list's tree with a
    // peer's; two rounds of them (10 s each here) cover every tree it keeps. Then it alone answers
    // every key, the others killed.
    restart(0);
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> stats(riak.get(0)).path("aae_exchanges").asLong() >= TWO_ROUNDS_OF_EXCHANGES);
    System.out.printf("ReplicatedStorageIT: anti-entropy repaired %d keys (exchanges started by any node)%n",
        riak.stream().mapToLong(url -> stats(url).path("aae_keys_repaired").asLong()).sum());
    kill9(1);
    kill9(2);
    for (String key : acknowledged) {
      assertReadable(riak.get(0), key, "?r=1");
    }

    // Alone it cannot make a quorum of 2: Riak's 503, not an error of another kind, and no write.
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(riak.get(0) + "/buckets/load/keys/no-quorum?w=2"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(503);
    assertThat(get(riak.get(0), acknowledged.iterator().next(), "?r=2")).startsWith("503 ");
  }

  @Test
  void s3ClientsLoseNoAcknowledgedObjectToKill9OfAStorageNodeAndEveryNodeServesEveryObject() throws Exception {
    try (S3Client s3 = cluster.s3(1)) {
      s3.createBucket(b -> b.bucket("load"));
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger next = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < S3_WRITERS; t++) {
      // Through nodes 1 and 2 only: node 0 is the one killed.
      int via = 1 + t % 2;
      Thread writer = new Thread(() -> {
        try (S3Client s3 = cluster.s3(via)) {
          while (writing.get()) {
            String key = "objects/" + next.getAndIncrement();
            try {
              s3.putObject(b -> b.bucket("load").key(key), RequestBody.fromBytes(bytesOf(key)));
              acknowledged.add(key);
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "s3-writer-" + t);
      writer.start();
      writers.add(writer);
    }
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= S3_WRITES_BEFORE_KILL);
      kill9(0);
      int atKill = acknowledged.size();
      await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= atKill + S3_WRITES_AFTER_KILL);
    } finally {
      writing.set(false);
      for (Thread writer : writers) {
        writer.join(TimeUnit.MINUTES.toMillis(1));
      }
    }
    System.out.printf("ReplicatedStorageIT: %d S3 objects acknowledged, %d failed%n", acknowledged.size(), failed.get());

    // Every acknowledged object, whole, from each survivor, and listed by both.
    for (int survivor = 1; survivor <= 2; survivor++) {
      try (S3Client s3 = cluster.s3(survivor)) {
        for (String key : acknowledged) {
          assertThat(s3.getObjectAsBytes(b -> b.bucket("load").key(key)).asByteArray()).as(key).isEqualTo(bytesOf(key));
        }
        List<String> listed = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket("load").prefix("objects/")).contents().forEach(o -> listed.add(o.key()));
        assertThat(listed).containsAll(acknowledged);
      }
    }
    // The node killed serves them too once it is back (reading through to the others).
    restart(0);
    try (S3Client s3 = cluster.s3(0)) {
      for (String key : acknowledged) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("load").key(key)).asByteArray()).as(key).isEqualTo(bytesOf(key));
      }
    }
  }

  /** Each key's content, from its name: small objects inline in their manifest, larger ones in chunks. */
  private static byte[] bytesOf(String key) {
    Random random = new Random(key.hashCode());
    byte[] bytes = new byte[random.nextBoolean() ? 10 * 1024 : 1536 * 1024];
    random.nextBytes(bytes);
    return bytes;
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
      kill9(0);
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
    restart(0);
    kill9(1);
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

  /**
   * {@code key} answers 200 from {@code riak}. A 503 (a peer too slow under this machine's load to
   * answer within the call timeout) is asked again after a pause, as Riak clients do; any other
   * answer fails at once, and so does a 503 that lasts: a key that is not there is never read as
   * there.
   */
  private static void assertReadable(String riak, String key, String query) throws Exception {
    String answer = get(riak, key, query);
    for (int attempt = 1; answer.startsWith("503 ") && attempt < READ_ATTEMPTS; attempt++) {
      Thread.sleep(200L * attempt);
      answer = get(riak, key, query);
    }
    assertThat(answer).as("GET %s%s from %s", key, query, riak).isEqualTo("200");
  }

  /** The status of a GET of {@code key}, with the answer's text after it when it is not 200 (for the failure message). */
  private static String get(String riak, String key, String query) throws Exception {
    HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(URI.create(riak + "/buckets/load/keys/" + key + query))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return got.statusCode() == 200 ? "200" : got.statusCode() + " " + got.body().strip();
  }

  /** A node's Riak /stats; an empty object while it does not answer. */
  private static JsonNode stats(String riak) {
    try {
      return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(riak + "/stats")).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body());
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }

  private static void kill9(int index) throws Exception {
    long pid = PIDS.get(index);
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -9 storage node %d", index).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  /** Starts a storage node again from the command line cluster.json recorded; returns once it is ready. */
  private static void restart(int index) throws Exception {
    JsonNode node = cluster.cluster().path("storage").get(index);
    Path data = Path.of(node.path("data").asText());
    // A kill -9 leaves the old endpoints.json behind; readiness is a new one.
    Files.deleteIfExists(data.resolve("endpoints.json"));
    List<String> argv = new ArrayList<>();
    node.path("argv").forEach(a -> argv.add(a.asText()));
    Process p = LocalCluster.startDetached(argv, Path.of(node.path("log").asText()));
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(data.resolve("endpoints.json")) || !p.isAlive());
    assertThat(p.isAlive()).as("storage %s restarted; log %s", node.path("id"), node.path("log").asText()).isTrue();
    PIDS.put(index, p.pid());
  }
}
