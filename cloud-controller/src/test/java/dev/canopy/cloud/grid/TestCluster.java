package dev.canopy.cloud.grid;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.canopy.storage.local.LocalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Controllers' grid members in one JVM: each on 127.0.0.1 at its own free port, with its own
 * RocksDB store in its own directory, joined by the explicit member list. Members can be stopped
 * gracefully, crashed (terminated without handing anything over) and started again from their
 * stores. At most {@link #MEMBERS_MAX} members, because surefire caps the heap at 512 MB.
 */
public final class TestCluster implements AutoCloseable {

  public static final int MEMBERS_MAX = 3;
  /** Long enough that a loaded CI machine does not lose members to missed heartbeats. */
  public static final Duration LEASE = Duration.ofSeconds(3);

  /**
   * Hazelcast reads these from system properties when the config does not set them: members start
   * without waiting for peers (tests start them one after another). Set while a cluster is open,
   * then restored. (The partition count, 31, is the grid's own: {@link Grid#PARTITIONS}.)
   */
  private static final Map<String, String> FAST_START = Map.of(
      "hazelcast.wait.seconds.before.join", "0",
      "hazelcast.max.wait.seconds.before.join", "0");

  /** With one store for all (as controllers share the storage role), more members fit the heap. */
  public static final int SHARING_MEMBERS_MAX = 5;

  private final Path dir;
  private final String clusterName;
  private final List<Integer> ports;
  private final Grid[] grids;
  private final LocalStore[] stores;
  /** Every member's store, when they share one; null when each has its own. */
  private final LocalStore shared;
  /** Members below this index started as the whole set; the others joined it (their settings list all). */
  private final int startedWith;
  private final Map<String, String> savedProperties = new HashMap<>();

  private TestCluster(Path dir, int size) {
    this(dir, size, size, false);
  }

  private TestCluster(Path dir, int size, int startedWith, boolean sharing) {
    int max = sharing ? SHARING_MEMBERS_MAX : MEMBERS_MAX;
    if (size < 1 || size > max) {
      throw new IllegalArgumentException("1.." + max + " members: " + size);
    }
    this.dir = dir;
    this.clusterName = "test-" + System.nanoTime();
    this.ports = freePorts(size);
    this.grids = new Grid[size];
    this.stores = new LocalStore[size];
    this.startedWith = startedWith;
    this.shared = sharing ? LocalStore.open(dir.resolve("shared")) : null;
    FAST_START.forEach((key, value) -> {
      savedProperties.put(key, System.getProperty(key));
      System.setProperty(key, value);
    });
  }

  /** A cluster of {@code size} controllers with no member running yet. */
  public static TestCluster prepare(Path dir, int size) {
    return new TestCluster(dir, size);
  }

  /** Opens the stores and starts every member, one after another; returns when all have joined. */
  public static TestCluster start(Path dir, int size) {
    return startAll(new TestCluster(dir, size));
  }

  /**
   * A set of {@code startedWith} controllers grown by joins to {@code grownTo}, every member writing
   * through to one store (as controllers share the storage role): the first ones started as the
   * whole set and then followed the grown one ({@link Grid#followControllers}), the others started
   * with every member listed, as a joining controller does. The first ones keep the backup count
   * of the set they started with.
   */
  public static TestCluster startGrownSharingOneStore(Path dir, int startedWith, int grownTo) {
    TestCluster cluster = new TestCluster(dir, grownTo, startedWith, true);
    try {
      for (int i = 0; i < startedWith; i++) {
        cluster.start(i);
      }
      cluster.awaitJoined(startedWith, startedWith);
      List<String> everyMember = cluster.ports.stream().map(p -> "127.0.0.1:" + p).toList();
      for (int i = 0; i < startedWith; i++) {
        cluster.grids[i].followControllers(everyMember);
      }
      for (int i = startedWith; i < grownTo; i++) {
        cluster.start(i);
      }
      cluster.awaitJoined(grownTo, grownTo);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The first {@code running} members see {@code members} members and a majority. */
  private void awaitJoined(int running, int members) {
    // Joined is not yet protected: split-brain protection counts members a moment later, and a
    // test that writes before then is refused for want of a majority.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> java.util.Arrays.stream(grids, 0, running).allMatch(g -> g.memberCount() == members && g.hasMajority()));
  }

  private static TestCluster startAll(TestCluster cluster) {
    try {
      for (int i = 0; i < cluster.size(); i++) {
        cluster.start(i);
      }
      cluster.awaitJoined(cluster.size(), cluster.size());
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public int size() {
    return grids.length;
  }

  public Grid member(int i) {
    if (grids[i] == null) {
      throw new IllegalStateException("member " + i + " is not running");
    }
    return grids[i];
  }

  public LocalStore store(int i) {
    return stores[i];
  }

  public GridClusterSettings settings(int i) {
    int set = i < startedWith ? startedWith : ports.size();
    List<String> members = ports.subList(0, set).stream().map(p -> "127.0.0.1:" + p).toList();
    return new GridClusterSettings(clusterName, "127.0.0.1", ports.get(i), members, set, LEASE);
  }

  /** Starts member {@code i} from its store (opening the store if needed). */
  public Grid start(int i) {
    if (grids[i] != null) {
      throw new IllegalStateException("member " + i + " is already running");
    }
    if (stores[i] == null) {
      stores[i] = shared != null ? shared : LocalStore.open(dir.resolve("member-" + i));
    }
    grids[i] = Grid.startMember(settings(i), stores[i]);
    return grids[i];
  }

  /** A graceful shutdown: the member hands its partitions over before it leaves. */
  public void stop(int i) {
    member(i).close();
    grids[i] = null;
  }

  /** A crash: the member vanishes without handing anything over; the others find out by timeout. */
  public void crash(int i) {
    member(i);
    hazelcast(i).getLifecycleService().terminate();
    grids[i] = null;
  }

  /** Which member owns the partition of {@code key} (the same in every map), as member {@code i} sees it. */
  public int ownerOf(String key, int i) {
    int port = hazelcast(i).getPartitionService().getPartition(key).getOwner().getAddress().getPort();
    return ports.indexOf(port);
  }

  private HazelcastInstance hazelcast(int i) {
    member(i);
    return Hazelcast.getHazelcastInstanceByName("canopy-grid-127.0.0.1-" + ports.get(i));
  }

  @Override
  public void close() {
    for (int i = 0; i < grids.length; i++) {
      if (grids[i] != null) {
        crash(i);
      }
    }
    for (LocalStore store : stores) {
      if (store != null && store != shared) {
        store.close();
      }
    }
    if (shared != null) {
      shared.close();
    }
    savedProperties.forEach((key, value) -> {
      if (value == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, value);
      }
    });
  }

  /** Holds every socket open until all are chosen, so no two members get the same port. */
  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
