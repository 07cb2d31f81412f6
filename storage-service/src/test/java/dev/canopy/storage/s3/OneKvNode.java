package dev.canopy.storage.s3;

import dev.canopy.core.time.SystemTime;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.kv.PeerUnreachableException;
import dev.canopy.storage.kv.backend.MemoryBackend;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.objects.KvObjectBackend;
import dev.canopy.storage.objects.ObjectStoreSettings;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/** The replicated store's object backend on one real KV node in memory (N=1, as the cloud in a box). */
final class OneKvNode {

  private OneKvNode() {}

  static ObjectBackend backend() {
    Ring ring = Ring.create(List.of("n1"), 16, 1);
    KvNode node = new KvNode("n1", ring, new MemoryBackend(),
        (peer, request) -> CompletableFuture.failedFuture(new PeerUnreachableException(peer, "a one-node store")),
        SystemTime.INSTANCE, new SplittableRandom(11));
    return new KvObjectBackend(node, Clock.systemUTC(), new SplittableRandom(3), ObjectStoreSettings.DEFAULTS);
  }
}
