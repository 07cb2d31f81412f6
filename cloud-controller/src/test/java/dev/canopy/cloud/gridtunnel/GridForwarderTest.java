package dev.canopy.cloud.gridtunnel;

import static dev.canopy.cloud.gridtunnel.GridGatewayTest.echo;
import static dev.canopy.cloud.gridtunnel.TunnelFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member's connection through the whole tunnel: controller 2's member dials controller 1's alias
 * on its own host, the forwarder there carries it over mutual TLS to controller 1's gateway, and
 * the gateway hands it to controller 1's member (an echo server here).
 */
class GridForwarderTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int STREAM_BYTES = 8 * 1024 * 1024;

  private final TunnelFixture tunnel = new TunnelFixture();

  GridForwarderTest() throws Exception {}

  @AfterEach
  void stop() throws Exception {
    tunnel.close();
  }

  @Test
  void aStreamOfSeveralMebibytesArrivesIntactBothWays() throws Exception {
    byte[] bytes = new byte[STREAM_BYTES];
    new Random(42).nextBytes(bytes);
    NetSocket member2 = join(tunnel.dialForwarder(MemberAliases.of(2)));

    Buffer back = echo(member2, Buffer.buffer(bytes));

    assertThat(back.getBytes()).isEqualTo(bytes);
    assertThat(tunnel.member.remoteHosts).as("the gateway dialled from the certified peer's alias").containsExactly(MemberAliases.of(2));
  }

  @Test
  void closingTheMembersSideClosesTheDiallersSide() throws Exception {
    TunnelFixture.Watched member2 = tunnel.watch(() -> tunnel.dialForwarder(MemberAliases.of(2)));
    echo(member2.socket(), Buffer.buffer("ping"));

    join(tunnel.member.sockets.get(0).close());

    member2.closed().get(10, TimeUnit.SECONDS);
  }

  @Test
  void closingTheDiallersSideClosesTheMembersSide() throws Exception {
    NetSocket member2 = join(tunnel.dialForwarder(MemberAliases.of(2)));
    echo(member2, Buffer.buffer("ping"));

    join(member2.close());

    await().atMost(WAIT).until(() -> tunnel.member.closed.get() == 1);
  }

  @Test
  void aConnectionFromAnotherAddressThanTheLocalMembersIsRefused() throws Exception {
    TunnelFixture.Watched stranger = tunnel.watch(() -> tunnel.dialForwarder("127.0.0.1"));
    stranger.socket().write("hello");

    stranger.closed().get(10, TimeUnit.SECONDS);
    assertThat(tunnel.forwarder.refusedConnections()).isEqualTo(1);
    assertThat(tunnel.member.remoteHosts).isEmpty();
  }

  @Test
  void aGatewayThatProvesToBeAnotherControllerIsNotUsed() throws Exception {
    // A forwarder for controller 3 that finds controller 1's gateway at controller 3's address.
    GridForwarder misdirected = new GridForwarder(tunnel.vertx, tunnel.sockets(2), 3, MemberAliases.of(2),
        SocketAddress.inetSocketAddress(tunnel.gatewayPort, "127.0.0.1"), "127.0.0.1");
    int port = join(misdirected.listen(MemberAliases.of(3), 0));
    try {
      TunnelFixture.Watched member2 = tunnel.watch(() -> tunnel.client(new NetClientOptions()
          .setLocalAddress(MemberAliases.of(2))).connect(port, MemberAliases.of(3)));
      member2.socket().write("hello");

      member2.closed().get(10, TimeUnit.SECONDS);
      assertThat(member2.received().length()).as("nothing came back through a gateway of the wrong controller").isZero();
    } finally {
      join(misdirected.close());
    }
  }
}
