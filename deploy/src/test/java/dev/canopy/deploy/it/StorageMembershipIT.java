package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.deploy.cluster.LocalCluster;
import dev.canopy.deploy.cluster.StorageSeed;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Membership of the replicated store changed with the real CLI while a writer keeps writing, on
 * real storage processes (127.0.10.x, apart from the other ITs' subnets): three nodes take 2,000
 * keys; a fourth, started alone, joins ({@code canopy storage join}) and receives its quarter of
 * the partitions by handoff; then node 2 leaves ({@code canopy storage leave}), hands everything
 * off and is stopped. Every acknowledged key is read back from every member after each change,
 * and node 2, restarted, refuses to serve.
 */
@Isolated
class StorageMembershipIT {

  private static final String SUBNET = "127.0.10";
  private static final int KEYS = 2_000;
  private static final int PARTITIONS = 64;
  /** A 503 read is asked again up to this many times in all, as Riak clients do. */
  private static final int READ_ATTEMPTS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static final Map<Integer, Process> processes = new TreeMap<>();
  static final Map<Integer, List<String>> argv = new TreeMap<>();
  static final Map<Integer, String> riak = new TreeMap<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void threeNodes() throws Exception {
    CanopyCli.Result init = CanopyCli.run(dir, "init", "--dir", dir.toString());
    assertThat(init.exit()).as(init.stderr()).isZero();
    for (int id = 2; id <= 3; id++) {
      StorageSeed.identity(data(1), data(id));
    }
    Files.createDirectories(dir.resolve("logs"));
    for (int id = 1; id <= 3; id++) {
      start(id, "--storage-nodes", "1=" + address(1) + ",2=" + address(2) + ",3=" + address(3));
    }
    for (int id = 1; id <= 3; id++) {
      awaitReady(id);
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (Process p : processes.values()) {
      p.destroy();
    }
    for (Process p : processes.values()) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    LocalClusterHarness.keepLogs(dir, "storage-membership-logs");
  }

  static Path data(int id) {
    return dir.resolve("storage-" + id);
  }

  static String address(int id) {
    return SUBNET + "." + id;
  }

  static Path log(int id) {
    return dir.resolve("logs/storage-" + id + ".log");
  }

  static void start(int id, String... extra) throws IOException {
    List<String> args = new ArrayList<>(CanopyProcess.javaCommand("storage", "--cloud", dir.resolve("identity").toString(),
        "--data", data(id).toString(), "--id", Integer.toString(id), "--bind", address(id),
        // No controller runs: nothing here uses S3, whose directory lookups would go there.
        "--controllers", "1=" + SUBNET + ".200"));
    args.addAll(List.of(extra));
    argv.put(id, args);
    Files.deleteIfExists(data(id).resolve("endpoints.json"));
    processes.put(id, LocalCluster.startDetached(args, log(id)));
  }

  static void awaitReady(int id) throws Exception {
    Process p = processes.get(id);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(data(id).resolve("endpoints.json")) || !p.isAlive());
    assertThat(p.isAlive()).as("storage %d started; log %s", id, log(id)).isTrue();
    riak.put(id, new CloudFiles(data(id)).readEndpoints().orElseThrow().get("riak"));
  }

  @Test
  void aNodeJoinsAndAnotherLeavesWhileWritesGoOnAndNothingAcknowledgedIsLost() throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    writeAll(List.of(1, 2, 3), KEYS, acknowledged);
    assertThat(acknowledged).hasSize(KEYS);

    // A fourth node, started alone, joins through node 1 while a writer goes on.
    // As an operator adds a node: a new, empty data folder, started alone with --new.
    start(4, "--new");
    awaitReady(4);
    CanopyCli.Result join;
    try (Writer writer = new Writer(List.of(1, 2, 3), "during-join", acknowledged)) {
      join = CanopyCli.run(dir, "storage", "join", "--via", riak.get(1), "--node", "4=" + address(4));
      writer.awaitMore(50);
    }
    assertThat(join.exit()).as(join.stdout() + join.stderr()).isZero();
    assertThat(join.stdout()).contains("ring version");
    awaitHandoffsDone(List.of(1, 2, 3, 4));
    JsonNode four = stats(4);
    assertThat(four.path("ring_members")).hasSize(4);
    assertThat(four.path("partitions_owned").asInt()).isEqualTo(PARTITIONS / 4);
    JsonNode ring = getJson(riak.get(3) + "/canopy/ring");
    assertThat(ring.path("members").get(3).path("address").asText()).isEqualTo(address(4));
    assertThat(ring.path("members").get(3).path("partitions_owned").asInt()).isEqualTo(PARTITIONS / 4);
    for (int id = 1; id <= 4; id++) {
      assertAllReadable(id, acknowledged);
    }

    // A second join of the same node is refused, as the CLI says.
    CanopyCli.Result again = CanopyCli.run(dir, "storage", "join", "--via", riak.get(2), "--node", "4=" + address(4));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.stderr()).contains("HTTP 409").contains("already a member");

    // Node 2 leaves during writes, hands everything off, and is stopped.
    CanopyCli.Result leave;
    try (Writer writer = new Writer(List.of(1, 3, 4), "during-leave", acknowledged)) {
      leave = CanopyCli.run(dir, "storage", "leave", "--via", riak.get(1), "--node", "2");
      writer.awaitMore(50);
    }
    assertThat(leave.exit()).as(leave.stdout() + leave.stderr()).isZero();
    awaitHandoffsDone(List.of(1, 2, 3, 4));
    assertThat(stats(2).path("partitions_owned").asInt()).isZero();
    Process two = processes.get(2);
    two.destroy();
    assertThat(two.waitFor(60, TimeUnit.SECONDS)).isTrue();
    for (int id : List.of(1, 3, 4)) {
      assertThat(stats(id).path("ring_members")).hasSize(3);
      assertAllReadable(id, acknowledged);
    }
    System.out.printf("StorageMembershipIT: %d keys acknowledged and read back%n", acknowledged.size());

    // Restarted, node 2 says it is no longer a member and does not serve.
    Files.deleteIfExists(data(2).resolve("endpoints.json"));
    Process restarted = LocalCluster.startDetached(argv.get(2), log(2));
    processes.put(2, restarted);
    assertThat(restarted.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(restarted.exitValue()).isNotZero();
    assertThat(Files.readString(log(2))).contains("storage node 2 is no longer a member");
    assertThat(Files.exists(data(2).resolve("endpoints.json"))).isFalse();
  }

  /** Writes {@code count} keys through the given nodes in turn, w=2, from a few threads. */
  private void writeAll(List<Integer> via, int count, Map<String, String> acknowledged) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = "k" + i;
        int node = via.get(i % via.size());
        writes.add(pool.submit(() -> {
          assertThat(put(node, key, "v-" + key)).as("PUT %s via %d", key, node).isEqualTo(204);
          acknowledged.put(key, "v-" + key);
          return null;
        }));
      }
      for (Future<?> w : writes) {
        w.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A writer of fresh keys in the background; a write counts only once acknowledged. */
  private final class Writer implements AutoCloseable {
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicInteger written = new AtomicInteger();
    private final Thread thread;

    Writer(List<Integer> via, String prefix, Map<String, String> acknowledged) {
      thread = new Thread(() -> {
        for (int i = 0; writing.get(); i++) {
          String key = prefix + "-" + i;
          try {
            if (put(via.get(i % via.size()), key, "v-" + key) == 204) {
              acknowledged.put(key, "v-" + key);
              written.incrementAndGet();
            }
          } catch (Exception e) {
            // Not acknowledged: not expected to be there.
          }
        }
      });
      thread.start();
    }

    void awaitMore(int writes) {
      int from = written.get();
      await().atMost(Duration.ofMinutes(1)).until(() -> written.get() >= from + writes);
    }

    @Override
    public void close() throws InterruptedException {
      writing.set(false);
      thread.join(TimeUnit.MINUTES.toMillis(1));
    }
  }

  private int put(int node, String key, String value) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(riak.get(node) + "/buckets/load/keys/" + key + "?w=2"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(value)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * {@code key} from {@code node}. The caller asks again after a 503 (a peer too slow under this
   * machine's load to answer within the call timeout), as Riak clients do; a 404, a wrong value
   * or a 503 that lasts fails: a key that is not there is never read as there.
   */
  private HttpResponse<String> get(int node, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(riak.get(node) + "/buckets/load/keys/" + key))
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private void assertAllReadable(int node, Map<String, String> acknowledged) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> reads = new ArrayList<>();
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        reads.add(pool.submit(() -> {
          HttpResponse<String> r = get(node, e.getKey());
          for (int attempt = 1; r.statusCode() == 503 && attempt < READ_ATTEMPTS; attempt++) {
            r = get(node, e.getKey());
          }
          return r.statusCode() == 200 && r.body().equals(e.getValue()) ? null : e.getKey() + " → " + r.statusCode() + " " + r.body();
        }));
      }
      List<String> missing = new ArrayList<>();
      for (Future<String> read : reads) {
        String wrong = read.get(2, TimeUnit.MINUTES);
        if (wrong != null) {
          missing.add(wrong);
        }
      }
      assertThat(missing).as("acknowledged keys not read back from node %d", node).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private void awaitHandoffsDone(List<Integer> nodes) {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      long version = -1;
      for (int id : nodes) {
        JsonNode ring = getJson(riak.get(id) + "/canopy/ring");
        if (ring.path("handoffs_pending").asInt() != 0 || stats(id).path("handoffs_pending").asInt() != 0) {
          return false;
        }
        if (version >= 0 && ring.path("version").asLong() != version) {
          return false;
        }
        version = ring.path("version").asLong();
      }
      return true;
    });
  }

  private JsonNode stats(int id) throws Exception {
    return getJson(riak.get(id) + "/stats");
  }

  private JsonNode getJson(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
