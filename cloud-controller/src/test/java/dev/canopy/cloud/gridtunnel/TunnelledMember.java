package dev.canopy.cloud.gridtunnel;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.storage.local.LocalStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One host of {@link GridTunnelAcrossHostsTest}, run in its own JVM inside a network namespace.
 *
 * <ul>
 *   <li>{@code member ID CONTROLLERS PKI_DIR STORE_DIR CLUSTER_NAME}: a controller's grid member
 *       behind its tunnel (as {@code ControllerCloud} starts them); prints {@code started}, then
 *       {@code ready members=N} once a majority is there, then answers lines on stdin: {@code put K
 *       V}, {@code get K}, {@code quit}.
 *   <li>{@code intrude HOST:PORT CLUSTER_NAME BIND_ADDRESS}: a Hazelcast client, then a Hazelcast
 *       member, that know the cluster name and dial a controller's address directly; prints {@code
 *       client: connected|refused} and {@code member: members=N value=V} (or {@code member: refused}
 *       when it gives up joining).
 * </ul>
 */
public final class TunnelledMember {

  static final String MAP = "tunnel-test";
  static final int PORT = 5701;

  private TunnelledMember() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "member" -> member(Integer.parseInt(args[1]), controllers(args[2]), Path.of(args[3]), Path.of(args[4]), args[5]);
      case "intrude" -> intrude(args[1], args[2], args[3]);
      default -> throw new IllegalArgumentException("member or intrude, not " + args[0]);
    }
    // Hazelcast and Vert.x leave non-daemon threads behind on purpose; the test reads our output.
    System.exit(0);
  }

  private static void member(int id, SortedMap<Integer, String> controllers, Path pki, Path storeDir, String clusterName)
      throws Exception {
    TlsCredentials credentials = new TlsCredentials(
        PeerCertificates.parseEcPrivateKey(Files.readString(pki.resolve("key.pem"))),
        PeerCertificates.parseCertificates(Files.readString(pki.resolve("cert.pem"))).get(0),
        PeerCertificates.parseCertificates(Files.readString(pki.resolve("ca.pem"))).get(0));
    GridTunnel tunnel = GridTunnel.start(new TunnelSettings(id, controllers, PORT, TunnelLimits.DEFAULTS), credentials,
        credentials.ca(), InstantSource.system()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (LocalStore store = LocalStore.open(storeDir);
        Grid grid = Grid.startMember(
            MemberAliases.memberSettings(clusterName, id, controllers.keySet(), PORT, Duration.ofSeconds(3)), store)) {
      say("started " + grid.address());
      Awaitility.await().atMost(Duration.ofMinutes(2)).until(grid::hasMajority);
      say("ready members=" + grid.memberCount());
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
        String[] words = line.split(" ");
        if (words[0].equals("put")) {
          grid.entries(MAP).put(words[1], words[2]);
          say("put ok");
        } else if (words[0].equals("get")) {
          say("get " + grid.entries(MAP).get(words[1]));
        }
      }
    } finally {
      tunnel.close();
    }
  }

  private static void intrude(String target, String clusterName, String bindAddress) {
    ClientConfig client = new ClientConfig();
    client.setClusterName(clusterName);
    client.setProperty("hazelcast.logging.type", "slf4j");
    client.getNetworkConfig().addAddress(target);
    client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);
    try {
      HazelcastClient.newHazelcastClient(client).shutdown();
      say("client: connected");
    } catch (IllegalStateException e) {
      say("client: refused");
    }

    Config rogue = new Config();
    rogue.setClusterName(clusterName);
    rogue.setProperty("hazelcast.logging.type", "slf4j");
    rogue.setProperty("hazelcast.phone.home.enabled", "false");
    rogue.setProperty("hazelcast.max.join.seconds", "10");
    rogue.getNetworkConfig().setPort(PORT + 1).setPortAutoIncrement(false);
    rogue.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(bindAddress);
    rogue.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    rogue.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    rogue.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember(target);
    HazelcastInstance member;
    try {
      member = Hazelcast.newHazelcastInstance(rogue);
    } catch (IllegalStateException e) {
      // Reached something that never let it join within its bound: it gave up, with nothing.
      say("member: refused");
      return;
    }
    try {
      say("member: members=" + member.getCluster().getMembers().size() + " value=" + member.getMap(MAP).get("greeting"));
    } finally {
      member.getLifecycleService().terminate();
    }
  }

  private static SortedMap<Integer, String> controllers(String list) {
    SortedMap<Integer, String> controllers = new TreeMap<>();
    for (String entry : list.split(",")) {
      String[] idAndAddress = entry.split("=");
      controllers.put(Integer.parseInt(idAndAddress[0]), idAndAddress[1]);
    }
    return controllers;
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
