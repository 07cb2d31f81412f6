package dev.canopy.storage.kv.engine;

import dev.canopy.core.time.Time;
import dev.canopy.storage.kv.BucketProps;
import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.KvService;
import dev.canopy.storage.kv.KvStats;
import dev.canopy.storage.kv.PeerTransport;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;
import dev.canopy.storage.kv.backend.BackendException;
import dev.canopy.storage.kv.backend.KvBackend;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.causality.ContextCodec;
import dev.canopy.storage.kv.ring.Replica;
import dev.canopy.storage.kv.ring.Ring;
import dev.canopy.storage.kv.ring.RingCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One storage node of the replicated store: it serves {@link KvService} for clients
 * (coordinating each request over the key's replicas) and {@link PeerTransport.Handler} for
 * peers (its vnodes' side of those requests). Peers are reached only through the {@link
 * PeerTransport}; replicas are stored only through the {@link KvBackend}. Time and randomness
 * are injected, so the simulator drives many nodes from one seed.
 *
 * <p>Nothing here runs on a timer: {@link #tick()} (hinted and ownership handoff, ring gossip,
 * pings of peers believed down, active anti-entropy) is called by whoever assembles the node, every second or so in
 * production and every few steps in the simulator. Backend calls block, so callers run the
 * node's methods off any event loop.
 */
public final class KvNode implements KvService, PeerTransport.Handler {

  private final String id;
  private final KvBackend backend;
  private final PeerTransport transport;
  private final Time time;
  private final RandomGenerator random;
  private final Liveness liveness;
  private final PlantedBugs bugs = new PlantedBugs();
  private final Map<Integer, Vnode> vnodes = new ConcurrentHashMap<>();
  private final Set<Integer> handoffsRunning = ConcurrentHashMap.newKeySet();
  private final LatencyWindow getLatency = new LatencyWindow();
  private final LatencyWindow putLatency = new LatencyWindow();
  private final KvCounters counters = new KvCounters();
  private final AtomicLong handoffsCompleted = new AtomicLong();
  private final AntiEntropySettings antiEntropySettings;
  private final AntiEntropy antiEntropy;
  private final ReadThrough readThrough = new ReadThrough(this);
  private volatile Ring ring;
  private volatile Consumer<Ring> ringAdopted = adopted -> {};

  /** A node with the default anti-entropy settings. */
  public KvNode(String id, Ring ring, KvBackend backend, PeerTransport transport, Time time,
      RandomGenerator random) {
    this(id, ring, backend, transport, time, random, AntiEntropySettings.DEFAULTS);
  }

  public KvNode(String id, Ring ring, KvBackend backend, PeerTransport transport, Time time,
      RandomGenerator random, AntiEntropySettings antiEntropySettings) {
    this.id = id;
    this.ring = ring;
    this.backend = backend;
    this.transport = transport;
    this.time = time;
    this.random = random;
    this.liveness = new Liveness(id);
    this.antiEntropySettings = antiEntropySettings;
    this.antiEntropy = new AntiEntropy(this, antiEntropySettings, time);
  }

  public String id() {
    return id;
  }

  public Ring ring() {
    return ring;
  }

  /**
   * Runs {@code listener} with every ring this node adopts from now on (a change made here, one
   * spread or gossiped from a peer), under the node's lock, so rings reach it in version order:
   * the peer transport follows the members' addresses this way. A join shows it the ring it would
   * make while it checks the new node ({@link Membership}). It must be quick.
   */
  public void onRingAdopted(Consumer<Ring> listener) {
    ringAdopted = listener;
  }

  /**
   * Hands the ring listener {@code candidate}, a change not made yet (a join checking its new
   * node), or the ring held again once the check is over: the transport may dial its members.
   */
  void previewRing(Ring candidate) {
    synchronized (this) {
      ringAdopted.accept(candidate);
    }
  }

  /** Adopts {@code next} if it is newer than the ring held; whether it did. */
  public boolean installRing(Ring next) {
    synchronized (this) {
      if (next.version() <= ring.version()) {
        return false;
      }
      readThrough.ringChanged(ring, next);
      adopt(next);
      return true;
    }
  }

  /** Takes {@code next} as this node's ring; the caller holds the lock and checked it is newer. */
  private void adopt(Ring next) {
    ring = next;
    ringAdopted.accept(next);
  }

  /** Whether any partition of the store holds data here, owned or not (a node that may join holds none). */
  public boolean holdsData() {
    Ring current = ring;
    for (int p = 0; p < current.partitions(); p++) {
      if (!backend.isEmpty(p)) {
        return true;
      }
    }
    return false;
  }

  // ---- the client's side ----

  @Override
  public CompletableFuture<FetchResult> get(String bucket, String key, ReadOptions options) {
    return counters.counted(KvCounters.Request.GET, coordinateGet(bucket, key, options));
  }

  private CompletableFuture<FetchResult> coordinateGet(String bucket, String key, ReadOptions options) {
    long started = time.nanoTime();
    try {
      checkName(bucket, key);
      BucketProps props = props(bucket);
      ReadQuorums q = ReadQuorums.of(props, options);
      Ring current = ring;
      List<Replica> replicas =
          current.preferenceList(current.partitionOf(bucket, key), q.n(), liveness::up);
      return new GetCoordinator(this, bucket, key, q.r(), q.pr(), q.n(), props.allowMult(), replicas).run()
          .whenComplete((x, e) -> getLatency.record((time.nanoTime() - started) / 1000));
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<FetchResult> put(
      String bucket, String key, byte[] context, Content content, WriteOptions options) {
    return counters.counted(KvCounters.Request.PUT, write(bucket, key, context, false, content, options))
        .thenApply(PutCoordinator.Written::result);
  }

  /**
   * Without reading first: the write goes over its coordinator's copy (the first replica of the
   * key, which coordinates every write to it while it is up, so its copy is normally the newest),
   * and each replica says whether the write replaced everything it held. When one that counted
   * toward the quorum did not (the coordinator had missed a write, say while it was down), the
   * value is written again with the context of a read, as the default does: either way the value
   * replaces what a read sees, whatever the nodes' clocks say. One round of messages instead of two.
   */
  @Override
  public CompletableFuture<FetchResult> putSuperseding(
      String bucket, String key, Content content, ReadOptions read, WriteOptions write) {
    counters.supersedingPut();
    return counters.counted(KvCounters.Request.PUT, write(bucket, key, null, true, content, write))
        .thenCompose(written -> {
          if (written.superseded()) {
            return CompletableFuture.completedFuture(written.result());
          }
          counters.supersedingRewrite();
          return KvService.super.putSuperseding(bucket, key, content, read, write);
        });
  }

  private CompletableFuture<PutCoordinator.Written> write(
      String bucket, String key, byte[] context, boolean overCopy, Content content, WriteOptions options) {
    long started = time.nanoTime();
    try {
      checkName(bucket, key);
      ContextCodec.decode(context);
      BucketProps props = props(bucket);
      int n = props.nVal();
      int dw = options.dw().resolve(n, props.dw());
      int w = Math.max(1, Math.max(dw, options.w().resolve(n, props.w())));
      int pw = options.pw().resolve(n, props.pw());
      Content stamped = new Content(content.value(), content.contentType(), content.meta(),
          content.links(), vtag(), time.millis(), content.deleted());
      Ring current = ring;
      List<Replica> replicas =
          current.preferenceList(current.partitionOf(bucket, key), n, liveness::up);
      return new PutCoordinator(this, bucket, key, context == null ? new byte[0] : context, overCopy,
          stamped, new PutCoordinator.Quorums(w, dw, pw), props.allowMult(),
          options.returnBody(), replicas).run()
          .whenComplete((x, e) -> putLatency.record((time.nanoTime() - started) / 1000));
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A tombstone write. Without a context the current one is read first (as Riak does), so the
   * delete replaces what the read saw rather than standing beside it as a sibling.
   */
  @Override
  public CompletableFuture<Void> delete(
      String bucket, String key, byte[] context, WriteOptions options) {
    Content tombstone = Content.tombstone();
    WriteOptions quiet = new WriteOptions(options.w(), options.dw(), options.pw(), false);
    CompletableFuture<byte[]> contextRead = context != null && context.length > 0
        ? CompletableFuture.completedFuture(context)
        : get(bucket, key, ReadOptions.DEFAULTS).thenApply(FetchResult::context);
    return counters.counted(KvCounters.Request.DELETE, contextRead
        .thenCompose(ctx -> put(bucket, key, ctx, tombstone, quiet))
        .thenApply(x -> null));
  }

  /**
   * Lists a bucket by asking, for each partition, its owner (or the first fallback when the
   * owner is down) for the live keys it holds; every key lives in its first partition's vnode,
   * so together they cover the ring. A partition no node answers for is skipped (a key seen
   * only there is missed, as with Riak's list under failures).
   */
  @Override
  public CompletableFuture<Void> listKeys(String bucket, Consumer<List<String>> batch) {
    Ring current = ring;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int p = 0; p < current.partitions(); p++) {
      int partition = p;
      chain = chain.thenCompose(x -> {
        List<Replica> holders = current.preferenceList(partition, 1, liveness::up);
        if (holders.isEmpty()) {
          return CompletableFuture.completedFuture(null);
        }
        return call(holders.get(0).node(), new Message.ListKeys(partition, bucket))
            .handle((reply, error) -> {
              if (reply instanceof Message.KeyList list) {
                List<String> fresh = list.keys().stream().filter(seen::add).toList();
                if (!fresh.isEmpty()) {
                  batch.accept(fresh);
                }
              }
              return null;
            });
      });
    }
    return chain;
  }

  /**
   * A page of a bucket's live keys as a coverage query over the replicas ({@link
   * ListCoordinator}): for every partition, {@code r} of its replicas (the ones a GET would ask)
   * each send the first {@code limit} of their records in UTF-8 key order, tombstones included;
   * each key's records are reconciled as a GET does, deleted keys dropped ({@link PageMerge}). A
   * page costs each asked vnode a scan of the bucket's share of its partition ({@link RangeScan}),
   * whatever the limit; a limit above {@link ListLimits#PAGE_KEYS_MAX} gets that many at most.
   * Fewer than {@code r} answers (or {@code pr} primaries) for any partition fails the call with
   * {@link dev.canopy.storage.kv.QuorumUnreachableException}. Nothing is read-repaired.
   */
  @Override
  public CompletableFuture<KeyPage> listPage(
      String bucket, String prefix, String startAfter, int limit, ReadOptions options) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
    if (bucket == null || bucket.isEmpty()) {
      return CompletableFuture.failedFuture(new InvalidRequestException("a bucket must not be empty"));
    }
    try {
      BucketProps props = props(bucket);
      ReadQuorums q = ReadQuorums.of(props, options);
      ListCoordinator.Query query = new ListCoordinator.Query(bucket, prefix == null ? "" : prefix,
          startAfter == null ? "" : startAfter, Math.min(limit, ListLimits.PAGE_KEYS_MAX), q.n(),
          q.r(), q.pr(), props.allowMult());
      return new ListCoordinator(this, ring, liveness::up, query).run();
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Properties live in the ring's metadata, so every node has them without a read. */
  @Override
  public BucketProps props(String bucket) {
    Ring current = ring;
    return current.bucketProps(bucket)
        .orElseGet(() -> BucketProps.defaults(current.members().size()));
  }

  @Override
  public CompletableFuture<Void> setProps(String bucket, BucketProps props) {
    return changeRing(bucket, props);
  }

  @Override
  public CompletableFuture<Void> resetProps(String bucket) {
    return changeRing(bucket, null);
  }

  private CompletableFuture<Void> changeRing(String bucket, BucketProps props) {
    Ring next;
    synchronized (this) {
      next = ring.withBucketProps(bucket, props);
      adopt(next);
    }
    return spreadRing(next);
  }

  /** Sends {@code next} to every other member; completes when each answered or failed. */
  public CompletableFuture<Void> spreadRing(Ring next) {
    byte[] bytes = RingCodec.encode(next);
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (String member : next.members()) {
      if (!member.equals(id)) {
        sent.add(call(member, new Message.RingUpdate(bytes)).handle((r, e) -> null));
      }
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  @Override
  public KvStats stats() {
    Ring current = ring;
    return new KvStats(id, current.members(), current.partitions(),
        current.partitionsOwnedBy(id).size(), counters.requests(KvCounters.Request.GET),
        counters.requests(KvCounters.Request.PUT), getLatency.percentile(50), getLatency.percentile(99),
        putLatency.percentile(50), putLatency.percentile(99), counters.readRepairs(), handoffsCompleted.get(),
        handoffsPending().size(), antiEntropy.exchanges(), antiEntropy.keysRepaired(), counters.supersedingRewrites());
  }

  /** The totals behind {@link #stats()}, and more, for the storage process's metrics. */
  public KvCounters counters() {
    return counters;
  }

  // ---- background work ----

  /**
   * One round of background work: gossip the ring to one random peer, ping the peers believed
   * down, start handing off every partition held here that another node owns, and start the
   * next anti-entropy exchange when one is due.
   */
  public void tick() {
    Ring current = ring;
    List<String> peers = new ArrayList<>(current.members());
    peers.remove(id);
    if (!peers.isEmpty()) {
      gossip(peers.get(random.nextInt(peers.size())), current);
    }
    for (String down : liveness.down()) {
      gossip(down, current);
    }
    for (int partition : handoffsPending()) {
      String owner = current.owner(partition);
      if (liveness.up(owner) && handoffsRunning.add(partition)) {
        CompletableFuture<Boolean> handoff;
        try {
          handoff = new Handoff(this, vnode(partition), owner).run();
        } catch (BackendException e) {
          // The fold failed and nothing was dropped: the next tick tries again.
          handoff = CompletableFuture.completedFuture(false);
        }
        handoff.whenComplete((done, error) -> {
          handoffsRunning.remove(partition);
          if (Boolean.TRUE.equals(done)) {
            handoffsCompleted.incrementAndGet();
            call(owner, new Message.HandedOff(partition, id));
          }
        });
      }
    }
    antiEntropyTick();
  }

  /**
   * Starts the next anti-entropy exchange if one is due and none is running (also part of {@link
   * #tick()}): a process may call it more often than it ticks, so a short round is not held to one
   * exchange per tick.
   */
  public void antiEntropyTick() {
    antiEntropy.tick(ring, liveness);
  }

  /** Sends our ring to {@code peer}, which answers with its own: the newer one wins on both. */
  private void gossip(String peer, Ring current) {
    call(peer, new Message.RingUpdate(RingCodec.encode(current))).thenAccept(reply -> {
      if (reply instanceof Message.RingUpdate theirs) {
        installRing(RingCodec.decode(theirs.ring()));
      }
    });
  }

  /** Partitions this node holds data for but does not own: hints and moved partitions. */
  public List<Integer> handoffsPending() {
    Ring current = ring;
    List<Integer> pending = new ArrayList<>();
    for (int p = 0; p < current.partitions(); p++) {
      if (!current.owner(p).equals(id) && !backend.isEmpty(p)) {
        pending.add(p);
      }
    }
    return pending;
  }

  // ---- the seam for anti-entropy (kv.aae) ----

  /**
   * Every record of a partition held here, as its storage key and a SHA-1 of its record bytes:
   * what a hash tree is built from. Records encode canonically, so equal states hash equally.
   */
  public void foldPartitionHashes(int partition, BiConsumer<byte[], byte[]> each) {
    vnode(partition).fold((key, record) ->
        each.accept(key, dev.canopy.storage.kv.ring.KeyHash.sha1(record)));
  }

  /** Repairs one key of a partition from {@code peer}'s replica (an exchange found them apart). */
  public CompletableFuture<Void> repairKey(int partition, byte[] storageKey, String peer) {
    StorageKeys.BucketKey bk = StorageKeys.decode(storageKey);
    BucketProps props = props(bk.bucket());
    return call(peer, new Message.ReplicaGet(partition, bk.bucket(), bk.key()))
        .thenAccept(reply -> {
          if (reply instanceof Message.GetReply got && got.object().length > 0) {
            vnode(partition).merge(storageKey, CausalObjectCodec.decode(got.object()), false,
                props.allowMult());
          }
        });
  }

  // ---- the peers' side ----

  @Override
  public CompletableFuture<byte[]> handle(String from, byte[] request) {
    try {
      liveness.answered(from);
      Message decoded = MessageCodec.decode(request);
      counters.servedForPeer(decoded);
      return serveAsync(decoded).thenApply(MessageCodec::encode);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A request served here: at once, but for a read of a partition still arriving here. */
  private CompletableFuture<Message> serveAsync(Message request) {
    String former = readThrough.formerOwnerFor(request, liveness);
    if (former != null && !former.equals(id)) {
      return readThrough.get((Message.ReplicaGet) request, former);
    }
    return CompletableFuture.completedFuture(serve(request));
  }

  private Message serve(Message request) {
    return new VnodeRequests(this).serve(request);
  }

  // ---- for the coordinators and handlers in this package ----

  /** A request to {@code node}: served in place when it is this node, else over the transport. */
  CompletableFuture<Message> call(String node, Message request) {
    if (node.equals(id)) {
      try {
        return serveAsync(request);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<byte[]> sent;
    try {
      sent = transport.call(node, MessageCodec.encode(request));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((bytes, error) -> {
      if (error != null) {
        liveness.failed(node);
        throw new java.util.concurrent.CompletionException(error);
      }
      liveness.answered(node);
      return MessageCodec.decode(bytes);
    });
  }

  Vnode vnode(int partition) {
    return vnodes.computeIfAbsent(partition, p -> new Vnode(p, backend, random.nextLong(), bugs,
        antiEntropySettings.treeShape(), this::treeOf));
  }

  /** The hash tree a stored key belongs to: its preference list's start and length. */
  private TreeId treeOf(byte[] storageKey) {
    Ring current = ring;
    int n = Math.min(current.partitions(), props(StorageKeys.decode(storageKey).bucket()).nVal());
    return new TreeId(dev.canopy.storage.kv.ring.KeyHash.partition(storageKey, current.partitions()), n);
  }

  ReadThrough readThrough() {
    return readThrough;
  }

  AntiEntropySettings antiEntropySettings() {
    return antiEntropySettings;
  }

  void forgetVnode(Vnode vnode) {
    vnodes.remove(vnode.partition(), vnode);
  }

  PlantedBugs bugs() {
    return bugs;
  }

  private String vtag() {
    return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
  }

  private static void checkName(String bucket, String key) {
    if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
      throw new InvalidRequestException("a bucket and a key must not be empty");
    }
  }
}
