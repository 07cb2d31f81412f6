package dev.canopy.deploy.storage;

import dev.canopy.core.time.Futures;
import dev.canopy.core.time.Time;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.aae.TreeShape;
import dev.canopy.storage.kv.backend.RocksBackend;
import dev.canopy.storage.kv.RingAdmin;
import dev.canopy.storage.kv.engine.AntiEntropySettings;
import dev.canopy.storage.kv.engine.KvNode;
import dev.canopy.storage.kv.engine.Membership;
import dev.canopy.storage.kv.peer.PeerServer;
import dev.canopy.storage.kv.peer.PeerTls;
import dev.canopy.storage.kv.peer.VertxPeerTransport;
import dev.canopy.storage.kv.ring.Ring;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This storage node's member of the replicated store, assembled: the RocksDB backend in {@code
 * DATA/kv}, the ring from {@link RingFile}, the engine's {@link KvNode}, its peer port ({@link
 * PeerServer}, mutual TLS with storage certificates only) and its calls to the other members
 * ({@link VertxPeerTransport}), and the background {@link KvNode#tick()} every {@link
 * #TICK_INTERVAL}. {@link #close()} stops them in the reverse order.
 */
public final class ReplicatedNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedNode.class);

  /** Hinted and ownership handoff, ring gossip and pings of peers believed down run this often. */
  public static final Duration TICK_INTERVAL = Duration.ofSeconds(1);
  /**
   * How often the node asks whether an anti-entropy exchange is due: the engine spaces exchanges by
   * the round period, so this only matters for rounds shorter than a tick per exchange.
   */
  private static final Duration ANTI_ENTROPY_POLL = Duration.ofMillis(100);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);
  /** Threads running the engine's calls: peers' requests, clients' requests, completions; each may block on RocksDB. */
  private static final int PEER_WORKERS = 8;
  private static final int CLIENT_WORKERS = 16;
  private static final int COMPLETION_WORKERS = 8;
  /** Calls queued per pool beyond its threads; past this the pool refuses (a peer sees 503, a client an error). */
  private static final int QUEUED_CALLS_MAX = 1024;

  /**
   * @param id this node's storage id
   * @param members member addresses by id from the command line: a first start's members, else
   *     addresses that override the ring's; empty: the stored ring's (or this node alone)
   * @param partitions the ring's size when it is created here
   * @param host where the peer port listens
   * @param peerPort the peer port, the same on every member (0 = any; then no member can dial it)
   * @param antiEntropyRound how long one round of anti-entropy exchanges takes (every tree with
   *     every peer replica once); zero: exchanges back to back
   */
  public record Settings(String id, SortedMap<String, String> members, int partitions, String host, int peerPort,
      Duration antiEntropyRound) {}

  private final Vertx vertx;
  private final ExecutorService peerWorkers = pool("kv-peer", PEER_WORKERS);
  private final ExecutorService clientWorkers = pool("kv-client", CLIENT_WORKERS);
  private final ExecutorService completions = pool("kv-completion", COMPLETION_WORKERS);
  private final AtomicBoolean ticking = new AtomicBoolean();
  private final AtomicBoolean polling = new AtomicBoolean();
  private RingFile ringFile;
  private RocksBackend backend;
  private VertxPeerTransport transport;
  private KvNode node;
  private Membership membership;
  private PeerServer peers;
  private Long timer;
  private Long antiEntropyTimer;
  private int port;
  private volatile long savedRingVersion;

  private ReplicatedNode(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Opens and starts everything; on failure, closes what it opened. */
  public static ReplicatedNode start(Vertx vertx, Path data, Settings settings, PeerTls tls, Time time, RandomGenerator random)
      throws Exception {
    ReplicatedNode started = new ReplicatedNode(vertx);
    try {
      started.boot(data, settings, tls, time, random);
      return started;
    } catch (Exception e) {
      started.close();
      throw e;
    }
  }

  private void boot(Path data, Settings settings, PeerTls tls, Time time, RandomGenerator random) throws Exception {
    ringFile = new RingFile(data);
    Ring ring = ringFile.loadOrCreate(settings.members(), settings.id(), settings.host(), settings.partitions());
    savedRingVersion = ring.version();
    PeerAddressBook addresses = new PeerAddressBook(settings.id(), settings.members(), settings.peerPort());
    if (!addresses.unknown(ring).isEmpty()) {
      throw new IllegalStateException("the ring has the storage nodes " + ring.members() + " but no address for "
          + new TreeSet<>(addresses.unknown(ring)) + ": give --storage-nodes with each one's address");
    }
    backend = RocksBackend.open(data.resolve("kv"));
    transport = new VertxPeerTransport(vertx, tls, addresses.follow(ring), completions);
    node = new KvNode(settings.id(), ring, backend, transport, time, random,
        new AntiEntropySettings(TreeShape.DEFAULT, settings.antiEntropyRound()));
    // Every ring adopted (a join's, gossip's) brings its members' addresses: a joined node is dialable at once.
    node.onRingAdopted(adopted -> transport.peers(addresses.follow(adopted)));
    membership = new Membership(node);
    peers = new PeerServer(vertx, tls, Set.of(PeerTls.STORAGE_ROLE), node, peerWorkers);
    port = Futures.await(peers.listen(settings.host(), settings.peerPort()).toCompletionStage(), LISTEN_TIMEOUT, "the storage peer port");
    timer = vertx.setPeriodic(TICK_INTERVAL.toMillis(), t -> offLoop(ticking, () -> {
      node.tick();
      saveRingIfNewer();
    }));
    antiEntropyTimer = vertx.setPeriodic(ANTI_ENTROPY_POLL.toMillis(), t -> offLoop(polling, node::antiEntropyTick));
    LOG.info("storage node {} serves partitions {} of {} (ring members {})", settings.id(),
        ring.partitionsOwnedBy(settings.id()).size(), ring.partitions(), ring.members());
  }

  /** One run of {@code work} at a time, on a worker: a slow handoff start never piles ticks up or blocks the event loop. */
  private void offLoop(AtomicBoolean running, Runnable work) {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      clientWorkers.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("the replicated store's background round failed: {}", e.toString());
        } finally {
          running.set(false);
        }
      });
    } catch (RuntimeException e) {
      running.set(false);
    }
  }

  /** A ring adopted from a peer or changed by bucket properties is kept across restarts. */
  private void saveRingIfNewer() {
    Ring current = node.ring();
    if (current.version() > savedRingVersion) {
      ringFile.write(current);
      savedRingVersion = current.version();
    }
  }

  /** The engine's node, for anything that may block (the controllers' records go through it on a worker). */
  public KvNode node() {
    return node;
  }

  /** The store for callers on an event loop: each request starts on a worker. */
  public KvService offLoop() {
    return new OffLoopKvService(node, clientWorkers);
  }

  /** Joins, leaves and the ring's view for callers on an event loop: each starts on a worker. */
  public RingAdmin ringAdmin() {
    return new OffLoopRingAdmin(membership, clientWorkers);
  }

  /** The bound peer port. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    for (Long periodic : new Long[] {timer, antiEntropyTimer}) {
      if (periodic != null) {
        vertx.cancelTimer(periodic);
      }
    }
    if (peers != null) {
      awaitQuietly(peers.close(), "the storage peer port's close");
    }
    if (transport != null) {
      awaitQuietly(transport.close(), "the storage peer transport's close");
    }
    for (ExecutorService pool : new ExecutorService[] {clientWorkers, peerWorkers, completions}) {
      pool.shutdown();
    }
    for (ExecutorService pool : new ExecutorService[] {clientWorkers, peerWorkers, completions}) {
      try {
        if (!pool.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pool.shutdownNow();
      }
    }
    if (node != null) {
      try {
        saveRingIfNewer();
      } catch (RuntimeException e) {
        LOG.warn("the ring was not saved at close: {}", e.toString());
      }
    }
    if (backend != null) {
      backend.close();
    }
  }

  private static void awaitQuietly(io.vertx.core.Future<Void> closing, String what) {
    try {
      Futures.await(closing.toCompletionStage(), CLOSE_TIMEOUT, what);
    } catch (Exception e) {
      LOG.warn("{} did not finish cleanly: {}", what, e.toString());
    }
  }

  private static ExecutorService pool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED_CALLS_MAX), task -> {
      Thread thread = new Thread(task, name + "-" + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    });
  }
}
