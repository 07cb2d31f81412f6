package dev.canopy.storage.objects;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectBackendContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;

/**
 * The backend contract on three real KV nodes (N=3, quorums of 2), each call coordinated by a
 * different node in turn: whatever one node wrote, every node serves.
 */
class KvObjectBackendThreeNodesTest extends ObjectBackendContract {

  private final KvCluster cluster = new KvCluster(3);
  private final KvObjectBackend backend =
      new KvObjectBackend(RoundRobinKv.over(cluster.nodes.values()), cluster.time, new SplittableRandom(5),
          ObjectStoreSettings.DEFAULTS);

  @AfterEach
  void close() {
    cluster.close();
  }

  @Override
  protected ObjectBackend backend() {
    return backend;
  }
}
