package dev.canopy.cloud.gridtunnel;

import static dev.canopy.cloud.gridtunnel.TunnelFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.lease.net.LeaseTestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.InstantSource;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tunnel follows the controller set ({@link GridTunnel#follow}): a controller of another host
 * that joins gets a forwarder on its alias here, one that leaves loses it. This controller is 1 on
 * 127.0.0.1; "other hosts" are addresses this test declares not local (nothing is dialled).
 */
class GridTunnelFollowTest {

  private static final String SELF = "127.0.0.1";
  private final LeaseTestPki pki = new LeaseTestPki();
  private GridTunnel tunnel;

  GridTunnelFollowTest() throws Exception {}

  @AfterEach
  void stop() {
    if (tunnel != null) {
      tunnel.close();
    }
  }

  @Test
  void aJoiningRemoteControllerGetsAForwarderAndALeavingOneLosesIt() throws Exception {
    int port = freePort();
    tunnel = join(GridTunnel.start(new TunnelSettings(1, set(2), port, TunnelLimits.DEFAULTS), pki.controller(1), pki.caCertificate(),
        InstantSource.system(), SELF::equals));
    assertThat(listening(MemberAliases.of(2), port)).isTrue();
    assertThat(listening(MemberAliases.of(3), port)).isFalse();

    join(tunnel.follow(set(2, 3)));
    assertThat(listening(MemberAliases.of(3), port)).as("a forwarder for the joining controller 3").isTrue();

    join(tunnel.follow(set(3)));
    assertThat(listening(MemberAliases.of(2), port)).as("controller 2 left: its forwarder is gone").isFalse();
    assertThat(listening(MemberAliases.of(3), port)).isTrue();
  }

  @Test
  void aSetThatMixesThisHostWithOthersIsRefusedAndChangesNothing() throws Exception {
    int port = freePort();
    tunnel = join(GridTunnel.start(new TunnelSettings(1, set(2), port, TunnelLimits.DEFAULTS), pki.controller(1), pki.caCertificate(),
        InstantSource.system(), SELF::equals));
    SortedMap<Integer, String> mixed = set(2);
    mixed.put(3, SELF);

    assertThatThrownBy(() -> tunnel.follow(mixed)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share this host");
    assertThat(listening(MemberAliases.of(2), port)).isTrue();
  }

  /** Controller 1 here, the others on addresses of other hosts (10.99.0.ID). */
  private static SortedMap<Integer, String> set(int... others) {
    SortedMap<Integer, String> set = new TreeMap<>();
    set.put(1, SELF);
    for (int id : others) {
      set.put(id, "10.99.0." + id);
    }
    return set;
  }

  private static boolean listening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(SELF))) {
      return socket.getLocalPort();
    }
  }
}
