package dev.canopy.deploy.storage;

import dev.canopy.cloud.bootstrap.CloudIdentity;
import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.storeclient.StoragePeers;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.cloud.directory.DirectoryPeers;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.management.CertificateExpiry;
import dev.canopy.deploy.process.CredentialRenewal;
import dev.canopy.deploy.management.Health;
import dev.canopy.deploy.management.ManagementServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.storage.directory.RemoteDirectory;
import dev.canopy.storage.s3.S3Server;
import dev.canopy.storage.s3.S3ServerConfig;
import dev.canopy.storage.usage.BucketUsageMeter;
import dev.canopy.storage.usage.UnpushedUsage;
import dev.canopy.storage.usage.UsagePusher;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import dev.canopy.deploy.process.Role;
import dev.canopy.deploy.process.ServerStack;
import dev.canopy.cloud.metering.SystemMeteringStore;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import dev.canopy.storage.local.SystemStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import dev.canopy.storage.internal.ReplicatedSystemStore;
import dev.canopy.storage.internal.SystemRecordsCopy;
import dev.canopy.storage.internal.LocalObjectsCopy;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.lifecycle.LifecycleExecutor;
import dev.canopy.storage.objects.KvObjectBackend;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import dev.canopy.storage.kv.peer.PeerTls;
import dev.canopy.storage.kv.riak.RiakHttpConfig;
import dev.canopy.storage.kv.riak.RiakHttpServer;
import dev.canopy.storage.kv.engine.AntiEntropySettings;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.local.StoreException;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage role: a member of the replicated store ({@link ReplicatedNode}: RocksDB in {@code
 * data/kv}, the durable ring, the peer port) and this node's own store ({@code data/store}: the
 * cloud identity, and data of earlier layouts moved onto the replicated store at start), served
 * three ways — S3 to tenants (objects as chunks and manifests on the replicated store, so every
 * storage node serves every object; keys and bucket records read from the controllers' directory
 * over mutual TLS), the controllers' durable records over mutual TLS (the internal key-value
 * endpoint on the replicated store with quorum writes, fenced records checked against the newest
 * minted epoch, object digests for image delivery), and the Riak HTTP interface (loopback by
 * default, else TLS and the admin's key), on data {@code canopy init} seeded.
 */
public final class StorageRole implements Role {

  private static final Logger LOG = LoggerFactory.getLogger(StorageRole.class);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RING_READ_TIMEOUT = Duration.ofSeconds(5);

  /**
   * @param cloud the identity folder ({@code canopy init}'s DIR/identity)
   * @param data this role's folder; the store is {@code data/store}
   * @param id this storage node's id, named in its certificate
   * @param config its bind address, ports ({@code s3}, {@code kv}; 0 = any), region, S3 settings and
   *     connection limits
   * @param directory the controllers' directory URLs as last known, read at each lookup
   * @param storageNodes every member of the replicated store by id, with its address; empty: the
   *     ring stored in {@code data}, or this node alone on a first start
   * @param partitions the ring's partition count when it is created on this start
   * @param antiEntropyRound how long a round of anti-entropy exchanges takes
   * @param newNode whether {@code data} may be a new folder, holding nothing yet: it then takes the
   *     cloud's identity (a storage node about to join the ring); false: it must hold this cloud's data
   */
  public record Settings(Path cloud, Path data, String id, CanopyConfig config, Supplier<List<URI>> directory,
      SortedMap<String, String> storageNodes, int partitions, Duration antiEntropyRound, boolean newNode) {

    /** A storage node alone in its ring (the cloud in a box), or one whose ring is stored. */
    public Settings(Path cloud, Path data, String id, CanopyConfig config, Supplier<List<URI>> directory) {
      this(cloud, data, id, config, directory, new TreeMap<>(), Ring.PARTITIONS_DEFAULT, AntiEntropySettings.ROUND_PERIOD_DEFAULT,
          false);
    }
  }

  /** Longest wait at start for a quorum to take the data this node kept in its own store. */
  private static final Duration EARLIER_DATA_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration EARLIER_DATA_RETRY = Duration.ofSeconds(1);
  /** How often this node runs the object store's collector (the GC leeway is an hour). */
  private static final Duration GC_INTERVAL = Duration.ofMinutes(1);
  /** How often counts an earlier life saved at its stop are offered to the controllers (a usually empty local read). */
  private static final Duration SAVED_USAGE_PUSH = Duration.ofSeconds(10);

  private final ServerStack servers = new ServerStack();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private LocalStore store;
  /** True from the end of a successful start until the stop begins: what {@code /health} reports. */
  private volatile boolean serving;

  private StorageRole() {}

  /** Opens the store, checks it is this cloud's, and serves it; on failure, nothing stays open. */
  public static StorageRole start(Settings settings, ProcessParts parts) throws Exception {
    StorageRole role = new StorageRole();
    return Role.started(role, () -> role.boot(settings, parts));
  }

  private void boot(Settings settings, ProcessParts parts) throws Exception {
    Time clock = parts.time();
    SecureRandom random = parts.random();
    CloudBundle bundle = CloudBundle.read(settings.cloud());
    SecretBox secrets = new SecretBox(CloudBundle.masterKey(settings.cloud()), random);
    CertificateAuthority ca = bundle.authority(secrets, clock, random);
    store = LocalStore.open(settings.data().resolve("store"));
    // The seeded identity must be this cloud's: another cloud's data, or another key, stops here.
    // A folder with none is a new node's only when the operator says so: a mistyped --data must
    // not come up as an empty store the controllers would read as the cloud's.
    CloudIdentityStore identities = new CloudIdentityStore(store, secrets);
    Optional<CloudIdentity> found = identities.loadChecked();
    if (found.isEmpty() && !settings.newNode()) {
      throw new IllegalStateException(settings.data() + " holds no data of a cloud: give the folder canopy init seeded,"
          + " or start a new storage node there with --new (then add it with canopy storage join)");
    }
    String stored = found.orElseGet(() -> identities.adopt(bundle.cloudName())).cloudName();
    if (!stored.equals(bundle.cloudName())) {
      throw new IllegalStateException(settings.data() + " belongs to cloud " + stored + ", not " + bundle.cloudName());
    }
    var credentials = StoragePeers.storageCredentials(ca, settings.id(), CertificateAuthority.SERVER_VALIDITY, random);
    CertificateExpiry.meter(parts.metrics(), "storage", credentials::certificate, clock);
    // Renewed in place at two thirds of its year: peers, the internal KV and the directory client present the new one.
    servers.add(CredentialRenewal.start(parts.vertx(), clock, "storage node " + settings.id(), List.of(credentials)));
    CanopyConfig config = settings.config();
    String host = config.bindAddress();

    // This node's member of the replicated store; it stops after everything that calls it.
    ReplicatedNode replicated = ReplicatedNode.start(parts.vertx(), settings.data(),
        new ReplicatedNode.Settings(settings.id(), settings.storageNodes(), settings.partitions(), host, config.ports().peer(),
            settings.antiEntropyRound()),
        new PeerTls(credentials.keyManagers(), credentials.ca(), clock), clock, random);
    servers.add(() -> {
      replicated.close();
      return Future.succeededFuture();
    });
    endpoints.put("peer", "https://" + host + ":" + replicated.port());
    KvMetrics.register(parts.metrics(), replicated.node().counters());
    SystemStore records = new ReplicatedSystemStore(replicated.node());
    // S3 objects live on the replicated store too: every storage node serves the same ones.
    KvObjectBackend objects = new KvObjectBackend(replicated.node(), clock, random, config.s3().store().objectStoreSettings());
    moveEarlierData(records, objects, clock, random);
    collectGarbagePeriodically(parts.vertx(), objects);
    applyLifecyclePeriodically(parts.vertx(), new LifecycleExecutor(objects, clock),
        Duration.ofSeconds(config.s3().lifecycleIntervalSeconds()));
    // A controller that lost the grid's majority but not yet its own view cannot write behind a newer one.
    SystemStore fencedStore = new EpochFencedStore(records, EpochMint.MAP, EpochMint.KEY,
        fencedNamespaces());
    InternalKvServer kv = new InternalKvServer(parts.vertx(), fencedStore, objects, StoragePeers.serverTls(credentials, clock))
        .withRing(() -> {
          try {
            return dev.canopy.storage.kv.riak.RingJson.render(Futures.await(replicated.ringAdmin().view(), RING_READ_TIMEOUT, "this node's ring"));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the ring", e);
          } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
    int port = Futures.await(kv.listen(host, config.ports().kv()).toCompletionStage(), LISTEN_TIMEOUT, "the internal KV listener");
    servers.add(kv::close);
    endpoints.put("kv", "https://" + host + ":" + port);

    // S3 reads access keys and bucket records from the controllers' directory, never the grid.
    RemoteDirectory directory = new RemoteDirectory(settings.directory(), DirectoryPeers.storageClientContext(credentials, clock), clock);
    // Bucket usage: counted per request, pushed to the controllers under this life of the node.
    BucketUsageMeter usage = new BucketUsageMeter();
    UsagePusher pusher = new UsagePusher(usage, directory.usageSink(), settings.id() + "-" + clock.millis(), clock);
    UnpushedUsage unpushed = new UnpushedUsage(store);
    periodically(parts.vertx(), Duration.ofSeconds(config.s3().usageFlushSeconds()), pusher::pushOnce, "bucket usage push",
        pushed -> false);
    // What an earlier life saved goes as soon as a controller takes it (they may start after this node).
    periodically(parts.vertx(), SAVED_USAGE_PUSH, () -> unpushed.pushSaved(directory.usageSink()), "saved bucket usage push",
        pushed -> pushed > 0);
    // Stopped after S3 (the stack stops in reverse): the counts since the last push are saved to
    // this node's disk, and pushed by its next life (the controllers may be gone by now).
    servers.add(() -> parts.vertx().executeBlocking(() -> {
      unpushed.save(pusher.incarnation(), usage.snapshot(clock.instant()));
      return null;
    }, false).mapEmpty());
    S3Server s3 = new S3Server(parts.vertx(), S3ServerConfig.of(host, config.ports().s3(), config.region(), config.regionPolicy(), config.s3().virtualHostDomain()),
        directory.credentials(), directory.buckets(), objects, clock, parts.metrics(), S3Server.IMAGE_READER_ACCOUNT, random)
        .withConnectionLimits(config.connections().limits())
        .withAccountLimits(config.s3().limits().accountLimits(), clock)
        .withUsageMeter(usage);
    int s3Port = Futures.await(s3.start().toCompletionStage(), LISTEN_TIMEOUT, "the S3 listener");
    servers.add(s3::close);
    endpoints.put("s3", "http://" + host + ":" + s3Port);

    RiakHttpConfig riakConfig = RiakListener.config(config, credentials.keyManagers(), directory.credentials());
    RiakHttpServer riak = new RiakHttpServer(parts.vertx(), riakConfig, replicated.offLoop(), replicated.ringAdmin(), random);
    int riakPort = Futures.await(riak.start().toCompletionStage(), LISTEN_TIMEOUT, "the Riak HTTP listener");
    servers.add(riak::close);
    endpoints.put("riak", RiakListener.url(riakConfig, riakPort));
    serving = true;
  }

  /**
   * Serves the management port ({@code /health}, {@code /readyz}, {@code /metrics}) for a storage
   * process of its own; the cloud in a box leaves it to its controller's, on the same address.
   * Call once, after {@link #start}; it stops with the role.
   */
  public void serveManagement(Vertx vertx, PrometheusMeterRegistry metrics, CanopyConfig config) throws Exception {
    ManagementServer management = new ManagementServer(vertx, metrics, () -> true,
        () -> serving ? Health.ok() : Health.unavailable("the storage node is starting or stopping"))
        .withConnectionLimits(config.connections().limits());
    int port = Futures.await(management.listen(config.bindAddress(), config.ports().management()).toCompletionStage(), LISTEN_TIMEOUT,
        "the management listener");
    servers.add(management::close);
    endpoints.put("management", "http://" + config.bindAddress() + ":" + port);
  }

  /**
   * Data an earlier layout kept on this node's own store (the controllers' records, S3 objects) go
   * to the replicated store before anything is served from it; on a multi-node first start the
   * other members may still be starting, so a missing quorum is waited out (bounded).
   */
  private void moveEarlierData(SystemStore records, ObjectBackend objects, Time clock, RandomGenerator random)
      throws InterruptedException {
    SystemRecordsCopy copy = new SystemRecordsCopy(store, Set.of(CloudIdentityStore.NAMESPACE, UnpushedUsage.NAMESPACE));
    LocalObjectsCopy move = new LocalObjectsCopy(new RocksObjectBackend(store, clock, random), objects);
    long deadline = clock.nanoTime() + EARLIER_DATA_TIMEOUT.toNanos();
    while (true) {
      try {
        int copied = copy.copyOnce(records);
        if (copied > 0) {
          LOG.info("copied {} records of the controllers onto the replicated store", copied);
        }
        int moved = move.moveAll();
        if (moved > 0) {
          LOG.info("moved {} S3 objects of this node's own store onto the replicated store", moved);
        }
        return;
      } catch (StoreException e) {
        if (clock.nanoTime() - deadline >= 0) {
          throw new IllegalStateException("could not move this node's earlier data onto the replicated store within "
              + EARLIER_DATA_TIMEOUT.toSeconds() + " s (are the other storage nodes up?): " + e.getMessage(), e);
        }
        LOG.info("waiting for the replicated store to take this node's earlier data: {}", e.getMessage());
        clock.sleep(EARLIER_DATA_RETRY);
      }
    }
  }

  /** The object store's collector, one round at a time on a worker; stopped with the role. */
  private void collectGarbagePeriodically(Vertx vertx, KvObjectBackend objects) {
    periodically(vertx, GC_INTERVAL, objects::collectGarbage, "object store garbage collection",
        report -> report.blobsCollected() + report.uploadsAborted() > 0);
  }

  /**
   * Buckets' lifecycle rules, one run at a time on a worker; stopped with the role. Every storage
   * node runs it: its deletes are conditional on the version judged, so two nodes expiring the same
   * object delete it once, and nothing written after a node's listing is lost.
   */
  private void applyLifecyclePeriodically(Vertx vertx, LifecycleExecutor executor, Duration interval) {
    periodically(vertx, interval, executor::runOnce, "lifecycle rules",
        report -> report.objectsExpired() + report.uploadsAborted() + report.versionsRemoved()
            + report.bucketsFailed() > 0);
  }

  /** A background job every {@code interval}, never two runs at once, its report logged when {@code worthLogging}. */
  private <R> void periodically(
      Vertx vertx, Duration interval, java.util.concurrent.Callable<R> job, String what, Predicate<R> worthLogging) {
    AtomicBoolean running = new AtomicBoolean();
    long timer = vertx.setPeriodic(interval.toMillis(), t -> {
      if (running.compareAndSet(false, true)) {
        vertx.executeBlocking(job, false)
            .onSuccess(report -> {
              if (worthLogging.test(report)) {
                LOG.info("{}: {}", what, report);
              }
            })
            .onFailure(e -> LOG.warn("{} failed: {}", what, e.toString()))
            .onComplete(x -> running.set(false));
      }
    });
    servers.add(() -> {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    });
  }

  @Override
  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  @Override
  public void close() {
    // Reported first, so a load balancer polling /health passes this node over while it drains.
    serving = false;
    servers.stopAll(null);
    if (store != null) {
      store.close();
    }
  }

  /** What only the lease holder writes: instance records and run times, capacity, and the metering aggregator's records. */
  private static Set<String> fencedNamespaces() {
    Set<String> fenced = new java.util.HashSet<>(SystemMeteringStore.NAMESPACES);
    fenced.add(InstanceService.INSTANCES_MAP);
    fenced.add(CapacityLedger.MAP);
    fenced.add(RunTimes.MAP);
    return Set.copyOf(fenced);
  }
}
