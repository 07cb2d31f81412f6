package dev.canopy.cloud.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapStoreFactory;
import dev.canopy.storage.local.SystemStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Hazelcast member holding control-plane state. Every map is written through to
 * the durable {@link SystemStore} and loaded eagerly from it at start, so a restart loses
 * nothing. Only controllers speak to the grid: a member serves the member protocol alone (no client
 * endpoint), on one address, accepts connections only from the controllers' addresses ({@link
 * MemberAllowlist}) and uses a cluster name derived from the master key ({@link GridName}). In dev
 * the member joins nothing and accepts no one. With several controllers, each runs one member of
 * their cluster ({@link #startMember}), configured so that a minority can neither read nor write
 * ({@link GridClusterConfig}).
 */
public final class Grid implements AutoCloseable, TableSource {

  private static final Logger LOG = LoggerFactory.getLogger(Grid.class);
  /** Listeners are wired once at start by the controller's drivers: a handful, never a stream. */
  static final int CLUSTER_LISTENERS_MAX = 16;
  /** Where a cluster member's user context holds its durable store. */
  static final String STORE_CONTEXT_KEY = "canopy.systemStore";
  /**
   * Maps whose names start with this are held in memory only (replicated like the others, never
   * written to disk or loaded from it): for facts worthless after a full restart, such as heartbeat
   * times, which would otherwise cost a synced write each.
   */
  public static final String VOLATILE_PREFIX = "volatile-";
  /**
   * Partitions of the grid (Hazelcast: 271). Opening a durable map creates and checks a record store
   * on every partition, so at 271 each of a controller's thirty-odd maps cost 150-400 ms of a loaded
   * 2-core machine's start, at 31 (what the unit tests' clusters have always used) 10-75 ms. The
   * control plane's maps are small and its members few: 31 still spreads them over every partition
   * thread. Nothing is kept per partition across starts (every map is loaded from the store), but a
   * member refuses to join members with another count, so moving a cluster to this one takes a full
   * restart of its controllers (docs/cluster.md).
   */
  static final int PARTITIONS = 31;
  /**
   * Maps {@link #preload} opens at once: all a controller opens at start. Each open waits for its
   * load in Hazelcast's polls, whose sleeps grow to a second (10, 20, 40… ms, then a second while
   * any partition is still loading); opened together, every map waits out the same sleeps once
   * instead of eight at a time waiting them out in turn (docs/benchmarks.md, start-up).
   */
  static final int PRELOAD_THREADS = 64;

  private final HazelcastInstance hazelcast;
  private final ObjectMapper json;
  /** The split-brain protection guarding every map; null for a member that is the whole cloud. */
  private final String majorityName;
  private final List<Runnable> clusterListeners;
  /** Whose connections this member accepts; follows the controller set ({@link #followControllers}). */
  private final MemberAllowlist allowlist;
  /** The split-brain minimum; null for a member that is the whole cloud. */
  private final CurrentMajority currentMajority;

  private Grid(HazelcastInstance hazelcast, MemberAllowlist allowlist) {
    this(hazelcast, null, new CopyOnWriteArrayList<>(), allowlist, null);
  }

  private Grid(HazelcastInstance hazelcast, String majorityName, List<Runnable> clusterListeners, MemberAllowlist allowlist,
      CurrentMajority currentMajority) {
    this.hazelcast = hazelcast;
    this.majorityName = majorityName;
    this.clusterListeners = clusterListeners;
    this.allowlist = allowlist;
    this.currentMajority = currentMajority;
    this.json = GridJson.create();
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        clusterListeners.forEach(Runnable::run);
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        clusterListeners.forEach(Runnable::run);
      }
    });
  }

  /**
   * Starts a single member that joins no one and accepts no connection (the cloud in a box), on
   * {@code port} or, when taken, one of the next hundred.
   */
  public static Grid startStandalone(String clusterName, String bindAddress, int port, SystemStore store) {
    Config config = lockedDown(clusterName, bindAddress, port, true);
    JoinConfig join = config.getAdvancedNetworkConfig().getJoin();
    join.getTcpIpConfig().setEnabled(false);
    MapConfig durable = durableMaps(store);
    config.addMapConfig(durable);
    GridIndexes.addTo(config, durable);
    config.addMapConfig(volatileMaps());
    MemberAllowlist nobody = MemberAllowlist.nobody();
    return new Grid(start(config, nobody), nobody);
  }

  /**
   * Starts this controller's member of the controllers' cluster and returns once it has joined
   * (or, finding none of the listed members, formed) a cluster; that cluster may still lack a
   * majority, so callers wait for {@link #hasMajority()} before serving. Blocking.
   */
  public static Grid startMember(GridClusterSettings settings, SystemStore store) {
    List<Runnable> listeners = new CopyOnWriteArrayList<>();
    CurrentMajority current = new CurrentMajority(settings.controllers());
    var config = GridClusterConfig.build(settings, store, current, () -> listeners.forEach(Runnable::run));
    String majority = settings.controllers() > 1 ? GridClusterConfig.MAJORITY : null;
    MemberAllowlist allowlist = MemberAllowlist.of(settings.members());
    HazelcastInstance member = start(config, allowlist);
    PartitionRecovery.watch(member, store, settings.syncBackupCount());
    return new Grid(member, majority, listeners, allowlist, majority == null ? null : current);
  }

  /**
   * The controller set changed: from now on this member accepts exactly {@code members} ({@code
   * host:port} of every controller's member, this one's included), and the cluster needs a
   * majority of them to read or write (re-evaluated within a heartbeat, about a second). A member
   * that started alone ({@link #startStandalone}) or as a cluster of one follows nothing: it has
   * no split-brain rule to change, and a set it could grow into needs a restart with every
   * controller listed.
   *
   * @return false when this member cannot follow (standalone)
   */
  public boolean followControllers(Collection<String> members) {
    if (currentMajority == null) {
      return false;
    }
    allowlist.admitOnly(members);
    currentMajority.setControllers(members.size());
    clusterListeners.forEach(Runnable::run);
    return true;
  }

  /** The hosts of the members this member sees in its cluster, itself included. */
  public java.util.Set<String> memberHosts() {
    return hazelcast.getCluster().getMembers().stream().map(m -> m.getAddress().getHost())
        .collect(java.util.stream.Collectors.toSet());
  }

  /**
   * The settings every member shares: one member endpoint and nothing else (no client, REST or
   * memcache protocol: nothing but a controller speaks to the grid), bound to one address, joining
   * nothing by itself, and a cluster name that appears in no thread name or log line.
   */
  static Config lockedDown(String clusterName, String bindAddress, int port, boolean portAutoIncrement) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName("canopy-grid-" + bindAddress + "-" + port);
    config.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Hazelcast prefixes every log line with the cluster name unless told not to.
    config.setProperty("hazelcast.logging.details.enabled", "false");
    // Canopy closes the grid itself, after the endpoints that use it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", bindAddress);
    config.setProperty("hazelcast.socket.bind.any", "false");
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(port).setPortAutoIncrement(portAutoIncrement).setPortCount(portAutoIncrement ? 100 : 1);
    // A stopped member's closed connections linger in TIME_WAIT on its port for a minute; without
    // SO_REUSEADDR a controller restarted within it could not bind its grid port again.
    member.setReuseAddress(true);
    member.getInterfaces().setEnabled(true).addInterface(bindAddress);
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    network.setMemberEndpointConfig(member);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    return config;
  }

  private static HazelcastInstance start(Config config, MemberAllowlist allowlist) {
    return HazelcastInstanceFactory.newHazelcastInstance(config, config.getInstanceName(), new GuardedNodeContext(allowlist));
  }

  /**
   * Every map is durable: the wildcard config gives each map name its own store namespace, so
   * a new kind of state needs no registration here, only {@link #map}.
   */
  static MapConfig durableMaps(SystemStore store) {
    MapStoreConfig storeConfig =
        new MapStoreConfig()
            .setEnabled(true)
            .setFactoryImplementation((MapStoreFactory<String, String>) (name, properties) -> new StoreBackedMapStore(store, name))
            .setWriteDelaySeconds(0)
            .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER);
    return new MapConfig("*").setBackupCount(1).setAsyncBackupCount(0).setMapStoreConfig(storeConfig);
  }

  /** Maps named {@link #VOLATILE_PREFIX}{@code *}: a more specific pattern than the durable wildcard, so it wins. */
  static MapConfig volatileMaps() {
    return new MapConfig(VOLATILE_PREFIX + "*").setBackupCount(1).setAsyncBackupCount(0);
  }

  /**
   * A durable map of JSON records; its name is also its namespace in the store.
   *
   * @throws GridUnavailableException when the member cannot serve (opening a map loads it, which a
   *     minority is refused)
   */
  public <T> JsonMap<T> map(String name, Class<T> type) {
    return new JsonMap<>(GridUnavailableException.guard("opening map " + name, () -> hazelcast.<String, String>getMap(name)), json, type);
  }

  /**
   * Opens (and so loads from the store) the maps {@code names} concurrently, and returns once each
   * is loaded or has failed to. Opening them one after another, as the services that use them do, made
   * a start wait through every map's load polls in turn (seconds under load); opened here first, those
   * waits overlap and the services' own opens find the maps loaded. A map that fails to open here is
   * only logged: its service opens it again and meets the failure where it can report it.
   */
  public void preload(Collection<String> names) throws InterruptedException {
    if (names.isEmpty()) {
      return;
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PRELOAD_THREADS, names.size()), task -> {
      Thread thread = new Thread(task, "grid-preload-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> opens = names.stream().<Future<?>>map(name -> pool.submit(() -> hazelcast.getMap(name))).toList();
      for (Future<?> open : opens) {
        try {
          open.get();
        } catch (ExecutionException e) {
          LOG.debug("a map did not load ahead of its service: {}", e.getCause().toString());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A grid map as Hazelcast holds it (JSON text by key), for adapters that need atomic entry
   * operations (fencing); domain code uses {@link #map}.
   */
  public IMap<String, String> entries(String name) {
    return hazelcast.getMap(name);
  }

  /**
   * A topic every member hears: for notices that need no durability and may be lost with a member
   * (the console's live updates), never for state.
   */
  public com.hazelcast.topic.ITopic<String> topic(String name) {
    return hazelcast.getTopic(name);
  }

  /**
   * An executor that runs tasks on members, for adapters that must reach every member's own store
   * (fencing); tasks must be serializable and capture no member-local state.
   */
  public IExecutorService executor(String name) {
    return hazelcast.getExecutorService(name);
  }

  /**
   * The durable store of {@code member}, for code that runs on members (entry processors, tasks)
   * and persists beside the map store. Empty on a standalone member, whose map store already sees
   * every write.
   */
  public static Optional<SystemStore> localStore(HazelcastInstance member) {
    return Optional.ofNullable((SystemStore) member.getUserContext().get(STORE_CONTEXT_KEY));
  }

  /** The JSON mapper every grid record is written with, so adapters keep the same format. */
  public ObjectMapper json() {
    return json;
  }

  /**
   * Whether this member's cluster holds a majority of the controllers, so that the grid accepts
   * its reads and writes. Hazelcast notices a lost member only after the heartbeat timeout, so
   * this can lag a partition by up to the lease duration; the lease is the first line (see
   * PAXOSLEASE.md). Always true for a member that is the whole cloud.
   */
  public boolean hasMajority() {
    if (majorityName == null) {
      return true;
    }
    return hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(majorityName).hasMinimumSize();
  }

  /** Members this member currently sees in its cluster, itself included. */
  public int memberCount() {
    return hazelcast.getCluster().getMembers().size();
  }

  /**
   * Calls {@code listener} on a Hazelcast event thread whenever a member joins or leaves or the
   * majority appears or goes away; it should re-read {@link #hasMajority()} and {@link
   * #memberCount()} rather than trust the order of calls, and return quickly.
   *
   * @return closes the registration
   */
  public AutoCloseable onClusterChange(Runnable listener) {
    if (clusterListeners.size() >= CLUSTER_LISTENERS_MAX) {
      throw new IllegalStateException("more than " + CLUSTER_LISTENERS_MAX + " cluster listeners: a leak");
    }
    clusterListeners.add(listener);
    return () -> clusterListeners.remove(listener);
  }

  /** host:port the member listens on, for endpoints.json. */
  public String address() {
    var address = hazelcast.getCluster().getLocalMember().getAddress();
    return address.getHost() + ":" + address.getPort();
  }

  public boolean isRunning() {
    return hazelcast.getLifecycleService().isRunning();
  }

  @Override
  public void close() {
    hazelcast.shutdown();
  }
}
