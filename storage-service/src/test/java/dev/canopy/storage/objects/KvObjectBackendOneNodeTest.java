package dev.canopy.storage.objects;

import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectBackendContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;

/** The backend contract on one real KV node (N=1, as the cloud in a box runs). */
class KvObjectBackendOneNodeTest extends ObjectBackendContract {

  private final KvCluster cluster = new KvCluster(1);
  private final KvObjectBackend backend =
      new KvObjectBackend(cluster.first(), cluster.time, new SplittableRandom(5), ObjectStoreSettings.DEFAULTS);

  @AfterEach
  void close() {
    cluster.close();
  }

  @Override
  protected ObjectBackend backend() {
    return backend;
  }
}
