package dev.canopy.storage.internal;

import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.SystemStore;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Copies the controllers' records that an earlier layout kept in this node's {@link LocalStore}
 * ({@code canopy init}'s seed, an existing cloud in a box's data folder) into the replicated
 * store, once. A marker written in the LocalStore after the last record says it was done, so a
 * restart copies nothing: by then the controllers may have changed records on the replicated
 * store, and the old copies must not come back. A copy cut short (a crash, no quorum) leaves no
 * marker and runs again in full at the next start, which is harmless because nothing has been
 * served from the replicated store yet: the storage role serves only after the copy.
 */
public final class SystemRecordsCopy {

  /** The marker's place in the LocalStore; never copied. */
  public static final String MARKER_NAMESPACE = "storage-layout";
  public static final String MARKER_KEY = "system-records-on-replicated-store";

  private final LocalStore local;
  private final Set<String> localOnly;

  /** @param localOnly namespaces that stay on this node only (the cloud identity each node checks) */
  public SystemRecordsCopy(LocalStore local, Set<String> localOnly) {
    this.local = local;
    this.localOnly = Set.copyOf(localOnly);
  }

  public boolean done() {
    return local.get(MARKER_NAMESPACE, MARKER_KEY).isPresent();
  }

  /**
   * Copies every record into {@code target} unless done before; how many records it copied.
   *
   * @throws dev.canopy.storage.local.StoreException when a write fails (no marker is written)
   */
  public int copyOnce(SystemStore target) {
    if (done()) {
      return 0;
    }
    int[] copied = {0};
    local.forEachSystemRecord((namespace, key, value) -> {
      if (!namespace.equals(MARKER_NAMESPACE) && !localOnly.contains(namespace)) {
        target.put(namespace, key, value);
        copied[0]++;
      }
    });
    local.put(MARKER_NAMESPACE, MARKER_KEY, "done".getBytes(StandardCharsets.UTF_8));
    return copied[0];
  }
}
