package dev.canopy.cloud.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.grid.StoreTables;
import dev.canopy.core.time.SystemTime;
import dev.canopy.storage.directory.RemoteDirectory;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two DeleteBuckets of Alice's bucket race; between them the name is freed and Bob creates a
 * bucket of that name. The late delete, which checked Alice's bucket empty, must leave Bob's alone:
 * a delete names the bucket's id, compared in the grid's registry, through the directory too.
 */
class BucketDeleteRaceTest {

  private static final BucketRecord ALICES = new BucketRecord("contested", "111111111111",
      Instant.parse("2026-12-01T00:00:00Z"), "canopy-1", "b_00000000000000000000000000000a11");
  private static final BucketRecord BOBS = new BucketRecord("contested", "222222222222",
      Instant.parse("2026-12-02T00:00:00Z"), "canopy-1", "b_00000000000000000000000000000b0b");

  @TempDir Path dir;
  private final DirectoryPki pki = new DirectoryPki("bucket-delete-race-test");
  private LocalStore store;
  private GridBucketRegistry grid;
  private Vertx vertx;
  private StorageDirectoryServer server;

  @BeforeEach
  void start() {
    store = LocalStore.open(dir.resolve("registry"));
    grid = new GridBucketRegistry(new StoreTables(store));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
    store.close();
  }

  private static void lateDeleteSparesTheNewOwner(BucketRegistry registry, BucketRegistry controllers) {
    assertThat(registry.create(ALICES)).isTrue();
    registry.delete(ALICES.name(), ALICES.id()); // the first DeleteBucket
    assertThat(registry.create(BOBS)).isTrue(); // Bob takes the name
    registry.delete(ALICES.name(), ALICES.id()); // the second, late, with Alice's bucket in mind
    assertThat(controllers.find("contested")).contains(BOBS);
    registry.delete(BOBS.name(), BOBS.id());
    assertThat(controllers.find("contested")).isEmpty();
  }

  @Test
  void inTheGridsRegistry() {
    lateDeleteSparesTheNewOwner(grid, grid);
  }

  @Test
  void throughTheDirectoryFromAStorageNode() throws Exception {
    MemoryDirectory keys = new MemoryDirectory();
    server = new StorageDirectoryServer(vertx, pki.controller("1"), keys.credentials(), grid, keys.changes(), SystemTime.INSTANCE);
    URI controller = URI.create("https://127.0.0.1:" + server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get());
    BucketRegistry remote = new RemoteDirectory(List.of(controller),
        DirectoryPeers.storageClientContext(pki.storage("st-1"), SystemTime.INSTANCE), SystemTime.INSTANCE).buckets();
    lateDeleteSparesTheNewOwner(remote, grid);
  }
}
