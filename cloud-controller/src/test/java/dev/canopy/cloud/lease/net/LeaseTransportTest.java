package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.lease.LeaseMessage;
import dev.canopy.cloud.lease.LeaseMessage.PrepareRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease port on its own: who may connect, and which frames get through to the lease. */
class LeaseTransportTest {

  private static final LeaseConfig CONFIG = new LeaseConfig(Set.of(1, 2, 3), 1_000, 1e-3, 2_000, 100);
  private static final long HASH = CONFIG.configHash();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final LeaseTestPki pki = new LeaseTestPki();
  private final LeaseCodec codec = new LeaseCodec(HASH);
  private final List<LeaseMessage> delivered = new CopyOnWriteArrayList<>();
  private final List<LeaseTransport> transports = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private NetClient rawClient;
  private LeaseTransport transport;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    transport = startTransport(1, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    for (LeaseTransport t : transports) {
      join(t.close());
    }
    if (rawClient != null) {
      join(rawClient.close());
    }
    join(vertx.close());
  }

  @Test
  void aControllerOfTheGroupIsHeardAndAForgedSenderIdIsDropped() throws Exception {
    NetSocket socket = join(connect(pki.controllerKeys(2)));
    PrepareRequest forged = new PrepareRequest(3, HASH, 11);
    PrepareRequest genuine = new PrepareRequest(2, HASH, 12);
    socket.write(frame(forged));
    socket.write(frame(genuine));

    await().atMost(WAIT).until(() -> delivered.contains(genuine));
    assertThat(delivered).containsExactly(genuine);
    assertThat(transport.stats().senderMismatches()).isEqualTo(1);
    assertThat(transport.stats().messagesIn()).isEqualTo(1);
  }

  @Test
  void aNodeCertificateIsRefusedAtTls() throws Exception {
    assertRefusedAtTls(pki.nodeKeys("nd-0001"));
  }

  @Test
  void aSelfSignedControllerCertificateIsRefusedAtTls() throws Exception {
    assertRefusedAtTls(pki.selfSignedControllerKeys(2));
  }

  @Test
  void aControllerOutsideTheGroupIsRefusedAfterTheHandshake() throws Exception {
    CompletableFuture<String> outcome = outcomeOf(pki.controllerKeys(9), frame(new PrepareRequest(9, HASH, 1)));
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(transport.stats().refusedConnections()).isEqualTo(1);
    assertThat(delivered).isEmpty();
  }

  @Test
  void aFrameAboveSixtyFourKibibytesClosesTheConnection() throws Exception {
    CompletableFuture<String> outcome =
        outcomeOf(pki.controllerKeys(2), Buffer.buffer().appendInt(Frames.FRAME_BYTES_MAX + 1).appendBytes(new byte[512]));
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(transport.stats().oversizeFrames()).isEqualTo(1);
    assertThat(delivered).isEmpty();
  }

  @Test
  void anotherConfigurationHashIsCountedAsAnAlarmAndDropped() throws Exception {
    LeaseConfig other = new LeaseConfig(Set.of(1, 2, 3), 1_000, 1e-3, 3_000, 100);
    NetSocket socket = join(connect(pki.controllerKeys(2)));
    socket.write(Frames.encode(new LeaseCodec(other.configHash()).encode(new PrepareRequest(2, other.configHash(), 5))));
    socket.write(Frames.encode("{\"type\":\"Hello\"}".getBytes()));

    await().atMost(WAIT).until(() -> transport.stats().rejectedFrames() == 1);
    assertThat(transport.configMismatches()).isEqualTo(1);
    assertThat(delivered).isEmpty();
  }

  @Test
  void transportsReachEachOtherAndAWronglyAddressedPeerIsNotUsed() throws Exception {
    LeaseTransport two = startTransport(2, Map.of(1, new PeerAddress("127.0.0.1", transport.boundPort())));
    LeaseTransport three = startTransport(3, Map.of(1, new PeerAddress("127.0.0.1", transport.boundPort())));
    // 1 dials nobody (it has no addresses) but hears 2 and 3, which dial it.
    sendUntilDelivered(two, new PrepareRequest(2, HASH, 21));
    sendUntilDelivered(three, new PrepareRequest(3, HASH, 31));
    assertThat(transport.reachablePeers()).as("1 cannot send to anyone").isEmpty();
    assertThat(two.reachablePeers()).as("2 sends to 1 but hears nothing back").isEmpty();

    // Another controller 1 whose configuration gives 2's address for 3 as well.
    LeaseTransport confused = new LeaseTransport(vertx, TransportSettings.defaults(CONFIG, 1, "127.0.0.1", 0), HASH,
        pki.controller(1), pki.caCertificate(), InstantSource.system(), LeaseTransport.addresses(
            Map.of(2, new PeerAddress("127.0.0.1", two.boundPort()), 3, new PeerAddress("127.0.0.1", two.boundPort()))));
    transports.add(confused);
    join(confused.start(m -> { }));
    await().atMost(WAIT).until(() -> confused.stats().refusedConnections() >= 1);
    assertThat(confused.reachablePeers()).doesNotContain(3);
    confused.send(3, new PrepareRequest(1, HASH, 41));
    assertThat(confused.stats().unconnectedDrops()).isPositive();
  }

  /** Sends every 50 ms until it arrives: the sender's link may still be dialling. */
  private void sendUntilDelivered(LeaseTransport from, LeaseMessage message) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      from.send(1, message);
      return delivered.contains(message);
    });
  }

  private void assertRefusedAtTls(KeyManagerFactory keys) throws Exception {
    CompletableFuture<String> outcome = outcomeOf(keys, frame(new PrepareRequest(2, HASH, 1)));
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isIn("closed", "failed");
    await().atMost(WAIT).until(() -> transport.stats().handshakeFailures() >= 1);
    assertThat(transport.stats().refusedConnections()).as("never reached the connection handler").isZero();
    assertThat(delivered).isEmpty();
  }

  /** Connects with {@code keys}, writes {@code data}, and reports "failed" or, once the server hangs up, "closed". */
  private CompletableFuture<String> outcomeOf(KeyManagerFactory keys, Buffer data) {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    connect(keys).onComplete(attempt -> {
      if (attempt.failed()) {
        outcome.complete("failed");
        return;
      }
      NetSocket socket = attempt.result();
      socket.exceptionHandler(e -> { }); // the server's alert; the close that follows is what counts
      socket.closeHandler(v -> outcome.complete("closed"));
      socket.write(data);
    });
    return outcome;
  }

  private Future<NetSocket> connect(KeyManagerFactory keys) {
    if (rawClient != null) {
      rawClient.close();
    }
    rawClient = vertx.createNetClient(new NetClientOptions().setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(keys))
        .setTrustAll(true).setHostnameVerificationAlgorithm("").setConnectTimeout(5_000));
    return rawClient.connect(transport.boundPort(), "127.0.0.1");
  }

  private LeaseTransport startTransport(int id, Map<Integer, PeerAddress> peers) throws Exception {
    LeaseTransport started = new LeaseTransport(vertx, TransportSettings.defaults(CONFIG, id, "127.0.0.1", 0), HASH,
        pki.controller(id), pki.caCertificate(), InstantSource.system(), LeaseTransport.addresses(peers));
    transports.add(started);
    join(started.start(id == 1 ? delivered::add : m -> { }));
    assertThat(started.boundPort()).isPositive();
    return started;
  }

  private Buffer frame(LeaseMessage message) {
    return Frames.encode(codec.encode(message));
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
