package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.cloud.metering.usage.StoredUsage;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.local.LocalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The metering store as a controller runs it on one machine: {@link SystemMeteringStore} over the
 * storage side's epoch fence over a RocksDB {@link LocalStore} (every put fsynced), in a temp
 * directory deleted on close. Epoch 1 is minted and written under.
 */
final class RealMeteringStore implements AutoCloseable {

  private static final long EPOCH = 1;

  private final Path dir;
  private final LocalStore local;
  private final SystemMeteringStore store;

  RealMeteringStore() {
    try {
      dir = Files.createTempDirectory("canopy-metering-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    local = LocalStore.open(dir.resolve("store"));
    local.put(EpochMint.MAP, EpochMint.KEY, ("{\"epoch\":" + EPOCH + "}").getBytes(StandardCharsets.UTF_8));
    store = new SystemMeteringStore(new EpochFencedStore(local, EpochMint.MAP, EpochMint.KEY, SystemMeteringStore.NAMESPACES),
        () -> EPOCH);
  }

  SystemMeteringStore metering() {
    return store;
  }

  /** The usage queries on this store, with no batch left unfolded. */
  StoredUsage usage() {
    return new StoredUsage(store, new MeteringService(new InMemoryTable<SampleBatchRecord>(), InstanceOwners.NONE, Clock.systemUTC()),
        InstanceOwners.NONE);
  }

  /** The bytes stored under a key, as the store holds them (the fenced JSON envelope). */
  int storedBytes(String namespace, String key) {
    return local.get(namespace, key).orElseThrow().length;
  }

  @Override
  public void close() {
    local.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
