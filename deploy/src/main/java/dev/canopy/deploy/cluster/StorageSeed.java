package dev.canopy.deploy.cluster;

import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * Seeds a further storage node's own store for a local cluster: each storage node checks its data
 * against the cloud identity, which {@code canopy init} writes only into the first node's store.
 * The controllers' records are not copied: they reach the other nodes through the replicated
 * store, from the first node's one-time copy.
 */
public final class StorageSeed {

  private StorageSeed() {}

  /** Copies the identity records of {@code first}'s store into {@code other}'s, unless it has them. Neither may be running. */
  public static void identity(Path first, Path other) {
    try (LocalStore source = LocalStore.open(first.resolve("store")); LocalStore target = LocalStore.open(other.resolve("store"))) {
      Map<String, byte[]> identity = source.loadAll(CloudIdentityStore.NAMESPACE);
      if (target.loadAll(CloudIdentityStore.NAMESPACE).isEmpty()) {
        identity.forEach((key, value) -> target.put(CloudIdentityStore.NAMESPACE, key, value));
      }
    }
  }
}
