package dev.canopy.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One agent-to-controller session over real mutual TLS: what survives a controller dropping the
 * socket or being down, and what happens to sample batches still waiting for their ack.
 */
class ControllerSessionTest {

  private static final String NODE_ID = "nd-5e55102";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private Vertx vertx;
  private TestPki ca;
  private WebSocketClient client;
  private final List<ControllerSession> opened = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicLong tickets = new AtomicLong();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ca = TestPki.newCa("session test CA");
    KeyPair nodeKey = Enroller.newKeyPair();
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true)
        .setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(PeerCertificates.keyManagers(nodeKey.getPrivate(),
            ca.issue(nodeKey.getPublic(), PeerRole.NODE, NODE_ID))))
        .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(ca.certificate, Clock.systemUTC(),
            Set.of(PeerRole.CONTROLLER), "session test")))
        .setConnectTimeout(5_000));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    vertx.close().await();
  }

  private FakeController controller(int port) throws Exception {
    KeyPair key = Enroller.newKeyPair();
    FakeController controller = FakeController.start(vertx, ca, key, ca.issue(key.getPublic(), PeerRole.CONTROLLER, "c-1"), port);
    toClose.add(controller);
    return controller;
  }

  private ControllerSession session(String url) {
    return session(url, ControllerSession.Backoff.DEFAULT);
  }

  private ControllerSession session(String url, ControllerSession.Backoff backoff) {
    ControllerSession session = new ControllerSession(vertx, client, url, NODE_ID, new ControllerSession.Listener() {
      @Override
      public void opened(ControllerSession s) {
        opened.add(s);
      }

      @Override
      public void message(ControllerSession s, String text) {
        received.add(text);
      }
    }, new Random(7), tickets::incrementAndGet, backoff);
    toClose.add(() -> session.close().await());
    return session;
  }

  /** A session with a controller of its own, once open on both sides. */
  private ControllerSession openSession(FakeController controller) {
    ControllerSession session = session(controller.url());
    session.start();
    await().atMost(PATIENCE).until(() -> opened.size() == 1 && controller.hasSession());
    return session;
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  @Test
  void aSessionTheControllerDropsIsOpenedAgainAndOrderedAsTheYoungest() throws Exception {
    FakeController controller = controller(0);
    ControllerSession session = openSession(controller);
    long firstTicket = session.openTicket();

    controller.dropSession();

    await().atMost(PATIENCE).until(() -> opened.size() == 2 && controller.hasSession());
    assertThat(session.isOpen()).isTrue();
    assertThat(session.openTicket()).as("a reopened session is younger than it was").isGreaterThan(firstTicket);
    controller.send("{\"after\":\"reconnect\"}");
    await().atMost(PATIENCE).until(() -> received.contains("{\"after\":\"reconnect\"}"));
  }

  @Test
  void aBatchWaitingForItsAckFailsWhenTheSessionEndsSoTheMeteringLoopResendsIt() throws Exception {
    FakeController controller = controller(0);
    ControllerSession session = openSession(controller);

    Future<Void> unacked = session.sendBatch("b-1", "{\"type\":\"sampleBatch\",\"batchId\":\"b-1\"}");
    await().atMost(PATIENCE).until(() -> controller.fromAgent.stream().anyMatch(m -> m.path("batchId").asText().equals("b-1")));
    assertThat(unacked.isComplete()).as("no ack yet").isFalse();
    controller.dropSession();

    await().atMost(PATIENCE).until(unacked::isComplete);
    assertThat(unacked.failed()).isTrue();
    assertThat(unacked.cause()).hasMessageContaining("ended before the batch was acked");
  }

  @Test
  void anAckCompletesOnlyItsOwnBatchAndAnAckForNoBatchIsHarmless() throws Exception {
    FakeController controller = controller(0);
    ControllerSession session = openSession(controller);

    Future<Void> first = session.sendBatch("b-1", "{\"batchId\":\"b-1\"}");
    Future<Void> second = session.sendBatch("b-2", "{\"batchId\":\"b-2\"}");
    session.batchAcked("b-unknown");
    session.batchAcked("b-2");

    await().atMost(PATIENCE).until(second::isComplete);
    assertThat(second.succeeded()).isTrue();
    assertThat(first.isComplete()).as("b-1 was never acked").isFalse();
    session.batchAcked("b-1");
    await().atMost(PATIENCE).until(first::isComplete);
    assertThat(first.succeeded()).isTrue();
  }

  @Test
  void batchesWaitingForAnAckAreBoundedAndTheOneOverTheBoundIsRefused() throws Exception {
    FakeController controller = controller(0);
    ControllerSession session = openSession(controller);
    for (int i = 0; i < ControllerSession.PENDING_BATCHES_MAX; i++) {
      assertThat(session.sendBatch("b-" + i, "{}").failed()).isFalse();
    }

    Future<Void> overTheBound = session.sendBatch("b-over", "{}");

    assertThat(overTheBound.failed()).isTrue();
    assertThat(overTheBound.cause()).hasMessageContaining("too many sample batches");
    session.batchAcked("b-0");
    assertThat(session.sendBatch("b-after-ack", "{}").failed()).as("an ack frees a place").isFalse();
  }

  @Test
  void aControllerThatIsDownAtFirstGetsTheSessionWhenItComesUp() throws Exception {
    int port = freePort();
    ControllerSession session = session("https://127.0.0.1:" + port);
    session.start();
    assertThat(session.isOpen()).isFalse();
    assertThat(session.send("{}").failed()).as("nothing to send on").isTrue();
    assertThat(session.sendBatch("b-1", "{}").cause()).hasMessageContaining("no session with");

    FakeController controller = controller(port);

    await().atMost(PATIENCE).until(() -> opened.size() == 1 && controller.hasSession());
    assertThat(session.isOpen()).isTrue();
    assertThat(session.send("{\"type\":\"hello\"}").toCompletionStage().toCompletableFuture().get()).isNull();
    await().atMost(PATIENCE).until(() -> controller.fromAgent.stream().anyMatch(m -> m.path("type").asText().equals("hello")));
  }

  @Test
  void aSessionWaitingOutALongBackoffRetriesPromptlyWhenToldTheControllersChanged() throws Exception {
    int port = freePort();
    // The first failed connect waits 20 to 40 s: far longer than this test gives the session.
    ControllerSession session = session("https://127.0.0.1:" + port,
        new ControllerSession.Backoff(Duration.ofSeconds(40), Duration.ofSeconds(60)));
    session.start();
    // Refused at once: the session is now in its backoff.
    Thread.sleep(500);
    FakeController controller = controller(port);
    Thread.sleep(1_500);
    assertThat(session.isOpen()).as("still waiting out its backoff").isFalse();

    vertx.runOnContext(v -> session.retryPromptly());

    await().atMost(Duration.ofMillis(ControllerSession.PROMPT_RETRY_MAX.toMillis() + 5_000))
        .until(() -> opened.size() == 1 && controller.hasSession());
    assertThat(session.isOpen()).isTrue();
  }

  @Test
  void promptRetryLeavesAnOpenSessionAlone() throws Exception {
    FakeController controller = controller(0);
    ControllerSession session = openSession(controller);
    long ticket = session.openTicket();

    vertx.runOnContext(v -> session.retryPromptly());
    Thread.sleep(ControllerSession.PROMPT_RETRY_MAX.toMillis() + 500);

    assertThat(opened).hasSize(1);
    assertThat(session.isOpen()).isTrue();
    assertThat(session.openTicket()).isEqualTo(ticket);
  }

  @Test
  void closingTheSessionFailsItsPendingBatchesAndTheControllerSeesTheSocketGo() throws Exception {
    FakeController controller = controller(0);
    ControllerSession session = openSession(controller);
    Future<Void> unacked = session.sendBatch("b-1", "{}");

    session.close().await();

    assertThat(session.isOpen()).isFalse();
    assertThat(unacked.failed()).isTrue();
    await().atMost(PATIENCE).until(() -> !controller.hasSession());
    assertThat(session.send("{}").failed()).as("a closed session sends nothing").isTrue();
  }
}
