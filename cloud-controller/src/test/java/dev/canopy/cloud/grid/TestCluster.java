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

  private final Path dir;
  private final String clusterName;
  private final List<Integer> ports;
  private final Grid[] grids;
  private final LocalStore[] stores;
  private final Map<String, String> savedProperties = new HashMap<>();

  private TestCluster(Path dir, int size) {
    if (size < 1 || size > MEMBERS_MAX) {
      throw new IllegalArgumentException("1.." + MEMBERS_MAX + " members: " + size);
    }
    this.dir = dir;
    this.clusterName = "test-" + System.nanoTime();
    this.ports = freePorts(size);
    this.grids = new Grid[size];
    this.stores = new LocalStore[size];
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
    TestCluster cluster = new TestCluster(dir, size);
    try {
      for (int i = 0; i < size; i++) {
        cluster.start(i);
      }
      // Joined is not yet protected: split-brain protection counts members a moment later, and a
      // test that writes before then is refused for want of a majority.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .until(() -> java.util.Arrays.stream(cluster.grids).allMatch(g -> g.memberCount() == size && g.hasMajority()));
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
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    return new GridClusterSettings(clusterName, "127.0.0.1", ports.get(i), members, grids.length, LEASE);
  }

  /** Starts member {@code i} from its store (opening the store if needed). */
  public Grid start(int i) {
    if (grids[i] != null) {
      throw new IllegalStateException("member " + i + " is already running");
    }
    if (stores[i] == null) {
      stores[i] = LocalStore.open(dir.resolve("member-" + i));
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
      if (store != null) {
        store.close();
      }
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
