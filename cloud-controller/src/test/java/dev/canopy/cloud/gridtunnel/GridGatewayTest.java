package dev.canopy.cloud.gridtunnel;

import static dev.canopy.cloud.gridtunnel.TunnelFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.lease.net.LeaseTestPki;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A controller's gateway, dialled directly: only a configured peer controller of this cloud's CA
 * reaches the member behind it, from that peer's alias, and no more often than its limit allows.
 */
class GridGatewayTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Buffer HELLO = Buffer.buffer("hello grid", StandardCharsets.UTF_8.name());

  private final TunnelFixture tunnel = new TunnelFixture();

  GridGatewayTest() throws Exception {}

  @AfterEach
  void stop() throws Exception {
    tunnel.close();
  }

  @Test
  void aClientWithoutACertificateIsRefusedAtTls() throws Exception {
    assertRefusedAtTls(null);
  }

  @Test
  void aControllerCertificateOfAnotherCaIsRefusedAtTls() throws Exception {
    assertRefusedAtTls(new LeaseTestPki().controllerKeys(2));
  }

  @Test
  void aNodeCertificateOfThisCaIsRefusedAtTls() throws Exception {
    assertRefusedAtTls(tunnel.pki.nodeKeys("nd-0001"));
  }

  @Test
  void aSelfSignedControllerCertificateIsRefusedAtTls() throws Exception {
    assertRefusedAtTls(tunnel.pki.selfSignedControllerKeys(2));
  }

  @Test
  void aControllerThatIsNotAPeerIsRefusedAfterTheHandshake() throws Exception {
    assertThat(outcomeOf(tunnel.pki.controllerKeys(9)).get(10, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(tunnel.gateway.refusedConnections()).isEqualTo(1);
    assertThat(tunnel.member.remoteHosts).as("the member saw no connection").isEmpty();
  }

  @Test
  void aControllerTheSetGainsGetsThroughAndOneItLosesIsRefused() throws Exception {
    tunnel.gateway.admitOnly(java.util.Set.of(2, 9));
    NetSocket joined = join(dial(tunnel.pki.controllerKeys(9)));
    assertThat(echo(joined, HELLO)).isEqualTo(HELLO);
    assertThat(tunnel.member.remoteHosts).containsExactly(MemberAliases.of(9));

    tunnel.gateway.admitOnly(java.util.Set.of(9));
    assertThat(outcomeOf(tunnel.pki.controllerKeys(2)).get(10, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(tunnel.gateway.refusedConnections()).isEqualTo(1);
  }

  @Test
  void aPeerReachesTheMemberFromItsOwnAlias() throws Exception {
    NetSocket socket = join(dial(tunnel.pki.controllerKeys(2)));
    assertThat(echo(socket, HELLO)).isEqualTo(HELLO);
    assertThat(tunnel.member.remoteHosts).containsExactly(MemberAliases.of(2));
  }

  @Test
  void aPeerBeyondItsConnectionLimitIsRefusedUntilOneCloses() throws Exception {
    List<NetSocket> open = new ArrayList<>();
    for (int i = 0; i < TunnelFixture.LIMITS.connectionsPerPeerMax(); i++) {
      NetSocket socket = join(dial(tunnel.pki.controllerKeys(2)));
      assertThat(echo(socket, HELLO)).isEqualTo(HELLO);
      open.add(socket);
    }
    assertThat(outcomeOf(tunnel.pki.controllerKeys(2)).get(10, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(tunnel.gateway.refusedConnections()).isEqualTo(1);

    join(open.get(0).close());
    await().atMost(WAIT).until(() -> tunnel.member.closed.get() == 1);
    NetSocket again = join(dial(tunnel.pki.controllerKeys(2)));
    assertThat(echo(again, HELLO)).isEqualTo(HELLO);
  }

  private void assertRefusedAtTls(KeyManagerFactory keys) throws Exception {
    assertThat(outcomeOf(keys).get(10, TimeUnit.SECONDS)).isIn("closed", "failed");
    await().atMost(WAIT).until(() -> tunnel.gateway.handshakeFailures() >= 1);
    assertThat(tunnel.gateway.refusedConnections()).as("never reached the connection handler").isZero();
    assertThat(tunnel.member.remoteHosts).as("the member saw no connection").isEmpty();
  }

  /** Connects with {@code keys}, writes a few bytes, and reports "failed", "echoed" or, once the gateway hangs up, "closed". */
  private CompletableFuture<String> outcomeOf(KeyManagerFactory keys) {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    dial(keys).onComplete(attempt -> {
      if (attempt.failed()) {
        outcome.complete("failed");
        return;
      }
      NetSocket socket = attempt.result();
      socket.exceptionHandler(e -> { }); // the gateway's alert; the close that follows is what counts
      socket.handler(data -> outcome.complete("echoed"));
      socket.closeHandler(v -> outcome.complete("closed"));
      socket.write(HELLO);
    });
    return outcome;
  }

  private Future<NetSocket> dial(KeyManagerFactory keys) {
    NetClientOptions options = new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm("")
        .setConnectTimeout(5_000);
    if (keys != null) {
      options.setKeyCertOptions(KeyCertOptions.wrap(keys));
    }
    return tunnel.client(options).connect(tunnel.gatewayPort, "127.0.0.1");
  }

  /** Writes {@code data} and returns as many bytes as came back. */
  static Buffer echo(NetSocket socket, Buffer data) throws Exception {
    CompletableFuture<Buffer> back = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      if (received.length() >= data.length()) {
        back.complete(received);
      }
    });
    socket.write(data);
    return back.get(30, TimeUnit.SECONDS);
  }
}
