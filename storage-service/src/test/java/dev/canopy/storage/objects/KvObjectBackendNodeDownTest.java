package dev.canopy.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.storage.backend.BackendIo;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.kv.engine.KvNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three or four KV nodes, N=3, and each in turn crashes: nothing acknowledged is lost, writes go
 * on. A survivor learns of the crash from its first call that fails, which may be a 503 that S3
 * clients retry: the test reads once to let it notice, as they retry. With three nodes the ring
 * wraps with one node twice in two partitions' preference lists; quorums that count distinct
 * nodes keep those keys on two machines.
 */
class KvObjectBackendNodeDownTest {

  private static final int CHUNK = 4096;
  private static final ObjectStoreSettings SETTINGS = ObjectStoreSettings.DEFAULTS.withChunkBytes(CHUNK, 512);

  private KvCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private KvObjectBackend backendOn(String node) {
    return new KvObjectBackend(cluster.node(node), cluster.time, new SplittableRandom(node.hashCode()), SETTINGS);
  }

  /** Reads every key once, ignoring the 503s of calls that find the crashed node gone. */
  private static void noticeCrash(KvObjectBackend reader, java.util.Set<String> keys) {
    for (String key : keys) {
      try {
        reader.head("bkt", key);
      } catch (dev.canopy.storage.local.StoreException e) {
        // The survivor now knows the node is down and uses a fallback: the retry succeeds.
      }
    }
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 4})
  void everyAcknowledgedObjectIsReadFromTheSurvivorsAndWritesStillSucceed(int nodes) {
    cluster = new KvCluster(nodes);
    KvObjectBackend writer = backendOn("n1");
    BackendIo io = new BackendIo(() -> writer);
    Map<String, byte[]> acknowledged = new LinkedHashMap<>();
    for (int size : new int[] {0, 100, CHUNK - 1, CHUNK, 3 * CHUNK + 1}) {
      byte[] data = io.randomBytes(size);
      io.put("before-" + size, data);
      acknowledged.put("before-" + size, data);
    }

    for (String down : List.copyOf(cluster.nodes.keySet())) {
      cluster.stop(down);
      for (KvNode survivor : cluster.nodes.values()) {
        if (survivor.id().equals(down)) {
          continue;
        }
        KvObjectBackend reader = backendOn(survivor.id());
        noticeCrash(reader, acknowledged.keySet());
        BackendIo readerIo = new BackendIo(() -> reader);
        acknowledged.forEach((key, data) ->
            assertThat(readerIo.readAll("bkt", key)).as("%s with %s down, read on %s", key, down, survivor.id()).isEqualTo(data));
        byte[] fresh = readerIo.randomBytes(2 * CHUNK + 3);
        String key = "while-" + down + "-down-via-" + survivor.id();
        readerIo.put(key, fresh);
        acknowledged.put(key, fresh);
        assertThat(reader.list("bkt", new ListQuery("", "", "", 1000)).contents()).extracting(ObjectSummary::key)
            .containsAll(acknowledged.keySet());
      }
      cluster.restart(down);
      // As the storage role's tick does every second: probe the nodes taken for down, hand hints back.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        cluster.nodes.values().forEach(KvNode::tick);
        for (KvNode node : cluster.nodes.values()) {
          BackendIo nodeIo = new BackendIo(() -> backendOn(node.id()));
          acknowledged.forEach((key, data) -> assertThat(nodeIo.readAll("bkt", key)).isEqualTo(data));
        }
      });
    }
    KvObjectBackend any = backendOn("n3");
    BackendIo anyIo = new BackendIo(() -> any);
    acknowledged.forEach((key, data) -> assertThat(anyIo.readAll("bkt", key)).as(key).isEqualTo(data));
  }
}
