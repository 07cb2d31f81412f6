package dev.canopy.deploy.storage;

import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.Causes;
import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.storeclient.StoragePeers;
import dev.canopy.deploy.cluster.CloudBundle;
import dev.canopy.deploy.StopOnSignal;
import dev.canopy.deploy.dev.CloudFiles;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.local.SystemStore;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.scheduler.CapacityLedger;
import java.time.Duration;
import java.util.Set;
import dev.canopy.storage.local.LocalStore;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canopy storage}: the storage role. Today it serves the controllers' durable store — the
 * internal key-value endpoint over mutual TLS, each write synced before it is acknowledged, fenced
 * records checked against the newest minted epoch — on the data {@code canopy init} seeded. S3 on this role comes with the replicated store; until
 * then the cloud in a box serves S3.
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description = "Run a storage process: the controllers' durable store over mutual TLS (port 8777).")
public final class StorageCommand implements Callable<Integer> {

  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(20);

  @Option(names = "--cloud", required = true, description = "The cloud's identity folder (canopy init's DIR/identity).")
  Path cloud;

  @Option(names = "--data", required = true, description = "This process's data folder (canopy init seeds DIR/storage-1).")
  Path data;

  @Option(names = "--id", description = "This storage process's id, named in its certificate (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  String id;

  @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  String bind;

  @Option(names = "--kv-port", description = "Internal key-value port (default: ${DEFAULT-VALUE}; 0 = any).", defaultValue = "8777")
  int kvPort;

  @Override
  public Integer call() throws Exception {
    Time clock = SystemTime.INSTANCE;
    long started = clock.nanoTime();
    SecureRandom random = new SecureRandom();
    CloudBundle bundle;
    SecretBox secrets;
    CertificateAuthority ca;
    try {
      bundle = CloudBundle.read(cloud);
      secrets = new SecretBox(CloudBundle.masterKey(cloud), random);
      ca = CertificateAuthority.fromRecord(bundle.ca(), secrets, clock, random);
    } catch (Exception e) {
      System.err.println("canopy storage: " + Causes.describe(e));
      return 1;
    }
    LocalStore store = LocalStore.open(data.resolve("store"));
    try {
      // The seeded identity must be this cloud's: another cloud's data, or another key, stops here.
      String stored = new CloudIdentityStore(store, secrets).loadOrCreate(random).cloudName();
      if (!stored.equals(bundle.cloudName())) {
        System.err.println("canopy storage: " + data + " belongs to cloud " + stored + ", not " + bundle.cloudName());
        store.close();
        return 1;
      }
    } catch (IllegalStateException e) {
      System.err.println("canopy storage: " + Causes.describe(e));
      store.close();
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    var credentials = StoragePeers.storageCredentials(ca, id, CertificateAuthority.SERVER_VALIDITY, random);
    // The store refuses fenced records written under an epoch older than the newest minted one:
    // a controller that lost the grid's majority but not yet its own view cannot write behind it.
    SystemStore fencedStore = new EpochFencedStore(store, EpochMint.MAP, EpochMint.KEY,
        Set.of(InstanceService.INSTANCES_MAP, CapacityLedger.MAP));
    InternalKvServer kv = new InternalKvServer(vertx, fencedStore, StoragePeers.serverTls(credentials, clock));
    int port = Futures.await(kv.listen(bind, kvPort).toCompletionStage(), LISTEN_TIMEOUT, "the internal KV listener");
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("kv", "https://" + bind + ":" + port);
    CloudFiles files = new CloudFiles(data);
    files.writeEndpoints(endpoints);
    System.out.printf("canopy storage: kv %s%n", endpoints.get("kv"));
    System.out.printf("canopy storage: ready in %.2f s (data %s)%n", (clock.nanoTime() - started) / 1e9, data.toAbsolutePath());
    System.out.flush();
    StopOnSignal.await("canopy storage", () -> {
      try {
        files.deleteEndpoints();
        Futures.await(kv.close().toCompletionStage(), STOP_STEP_TIMEOUT, "the internal KV listener's close");
        Futures.await(vertx.close().toCompletionStage(), STOP_STEP_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        System.err.println("canopy storage: did not stop cleanly: " + e);
      }
      store.close();
    });
    return 0;
  }
}
