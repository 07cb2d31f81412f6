package dev.canopy.cloud.agents;

import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatchRecord;
import dev.canopy.cloud.scheduler.NodeCommands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.ca.TestCertificates;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.core.tls.PeerTrustManager;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.agent.EnrollmentException;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.EnrollmentToken;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A real agent server and real agents over loopback mutual TLS. */
class AgentTransportTest {

  private static final HostCapacity CAPACITY = new HostCapacity(4, 8192, 100);

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final SecretBox secrets = new SecretBox(MasterKey.generate(random), random);
  private final InMemoryTable<CaRecord> caTable = new InMemoryTable<>();
  private final MutableClock tokenClock = new MutableClock(Instant.now());
  private final List<Command> dispatched = new CopyOnWriteArrayList<>();
  private final List<AgentClient> agents = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Vertx vertx;
  private CertificateAuthority ca;
  private EnrollmentTokens tokens;
  private NodeRegistry registry;
  private final GatedTable<NodeRecord> nodeRecords = new GatedTable<>();
  private InMemoryTable<SampleBatchRecord> samples;
  private AgentServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    log.start();
    ((Logger) LoggerFactory.getLogger(AgentServer.class)).addAppender(log);
    ((Logger) LoggerFactory.getLogger(PeerTrustManager.class)).addAppender(log);
    vertx = Vertx.vertx();
    ca = CertificateAuthority.loadOrCreate(caTable, secrets, "test", Clock.systemUTC(), random);
    tokens = new EnrollmentTokens(new InMemoryTable<>(), tokenClock, random, ca.caSha256());
    registry = new NodeRegistry(nodeRecords, Clock.systemUTC(), Duration.ofMillis(200));
    samples = new InMemoryTable<>();
    server = new AgentServer(vertx, ca, ca.controllerCredentials("c1", List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY),
        tokens, registry, new MeteringService(samples, InstanceOwners.NONE, Clock.systemUTC()), List.of(), Clock.systemUTC(), random);
    int port = await(server.listen("127.0.0.1", 0));
    url = "https://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    for (AgentClient agent : agents) {
      await(agent.close());
    }
    await(server.close());
    await(vertx.close());
    ((Logger) LoggerFactory.getLogger(AgentServer.class)).detachAppender(log);
    ((Logger) LoggerFactory.getLogger(PeerTrustManager.class)).detachAppender(log);
  }

  @Test
  void whatWaitsForAnAckRunsOffTheEventLoop() throws Exception {
    // A launch's continuation writes the grid, whose store may be served by this very event loop
    // (the cloud in a box): run on it, it would wait for itself until the write timed out.
    AgentClient agent = agent("off-loop", Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(agent.start());
    eventually(() -> server.hasSession(nodeId));
    Command command = new Command("cmd-off-loop", 1, "startInstance", JsonNodeFactory.instance.objectNode().put("instanceId", "i-1"));
    var continuation = server.commands().send(nodeId, command, Duration.ofSeconds(10))
        .thenApply(ack -> io.vertx.core.Context.isOnEventLoopThread()).toCompletableFuture();
    assertThat(continuation.get(15, TimeUnit.SECONDS)).as("continuation on an event loop thread").isFalse();

    var failed = server.commands().send("nd-nobody", command, Duration.ofSeconds(10))
        .handle((ack, failure) -> failure != null && !io.vertx.core.Context.isOnEventLoopThread()).toCompletableFuture();
    assertThat(failed.get(15, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aSessionItsAgentClosedWhileTheRegistryWasReadIsNotRegistered() throws Exception {
    AgentClient first = agent("gone", Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(first.start());
    eventually(() -> server.hasSession(nodeId));
    await(first.close());
    agents.remove(first);
    eventually(() -> !server.hasSession(nodeId));

    // The grid is slow: the session's registry read waits, and the agent gives up meanwhile.
    nodeRecords.close();
    AgentClient again = agent("gone", Optional.empty());
    again.start();
    assertThat(nodeRecords.awaitHeldRead(10)).isTrue();
    Thread.sleep(300);
    await(again.close());
    agents.remove(again);
    Thread.sleep(300);
    nodeRecords.open();

    assertLogged("node " + nodeId, "closed its session before it was opened");
    Thread.sleep(300);
    assertThat(server.hasSession(nodeId)).as("a closed socket is no session").isFalse();
  }

  @Test
  void enrollsHeartbeatsAndRunsCommands() throws Exception {
    AgentClient agent = agent("a", Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(agent.start());

    assertThat(nodeId).startsWith("nd-");
    assertThat(Files.getPosixFilePermissions(dir.resolve("a/node.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(agent.controllers()).containsExactly(url);
    eventually(() -> registry.get(nodeId).map(NodeRecord::available).orElse(false));
    NodeRecord node = registry.get(nodeId).orElseThrow();
    assertThat(node.domains()).containsExactly(new DomainReport("i-1", "running"));
    assertThat(node.capacity()).isEqualTo(CAPACITY);
    assertThat(node.zone()).isEqualTo("canopy-1a");

    eventually(() -> server.hasSession(nodeId));
    Command command = new Command("cmd-1", 1, "startInstance", JsonNodeFactory.instance.objectNode().put("instanceId", "i-1"));
    Ack ack = server.commands().send(nodeId, command, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertThat(ack.commandId()).isEqualTo("cmd-1");
    assertThat(ack.ok()).isTrue();
    assertThat(ack.heldEpoch()).isEqualTo(1);
    assertThat(dispatched).containsExactly(command);

    // A sample batch is stored once, and acked each time it is sent.
    var batch = JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("rx", 10));
    await(agent.sendSampleBatch("b-1", batch));
    await(agent.sendSampleBatch("b-1", batch));
    assertThat(samples.size()).isEqualTo(1);
    assertThat(samples.get(nodeId + "/b-1").orElseThrow().samples()).isEqualTo(batch);
  }

  @Test
  void aBatchTheStoreRefusedIsNotAcknowledgedAndItsResendIs() throws Exception {
    AgentClient agent = agent("store-down", Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(agent.start());
    eventually(() -> server.hasSession(nodeId));
    var batch = JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("rx", 10));

    samples.failWrites(true);
    var refused = agent.sendSampleBatch("b-down", batch).toCompletionStage().toCompletableFuture();
    assertLogged("sample batch b-down of node " + nodeId + " was not stored");
    // The refusal is final for that message: an ack would only have been written before the log line.
    assertThat(refused).as("no ack for a batch that was not stored").isNotDone();
    assertThat(samples.size()).isZero();

    samples.failWrites(false);
    await(agent.sendSampleBatch("b-down", batch));
    assertThat(refused).as("the resend's ack settles the batch").isCompleted();
    assertThat(samples.get(nodeId + "/b-down").orElseThrow().samples()).isEqualTo(batch);
  }

  @Test
  void aBatchPastTheLimitOfBatchesInProgressIsLeftForItsAgentToSendAgain() throws Exception {
    AgentClient agent = agent("busy", Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(agent.start());
    eventually(() -> server.hasSession(nodeId));
    var batch = JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("rx", 10));

    server.withSampleBatchesInProgressMax(0);
    var deferred = agent.sendSampleBatch("b-busy", batch).toCompletionStage().toCompletableFuture();
    assertLogged("sample batches arrive faster than they are stored", "1 left unacknowledged");
    assertThat(server.sampleBatchesDeferred()).isEqualTo(1);
    assertThat(deferred).as("no ack for a batch that was not stored").isNotDone();
    assertThat(samples.size()).isZero();

    server.withSampleBatchesInProgressMax(AgentServer.SAMPLE_BATCHES_IN_PROGRESS_MAX);
    await(agent.sendSampleBatch("b-busy", batch));
    assertThat(deferred).as("the resend's ack settles the batch").isCompleted();
    assertThat(samples.get(nodeId + "/b-busy").orElseThrow().samples()).isEqualTo(batch);
  }

  @Test
  void aHostNameWithALineBreakIsLoggedAsOneEscapedLine() throws Exception {
    AgentClient agent = agent("crlf", "evil\r\n2025-01-01 12:00:00 INFO forged line", Optional.of(tokens.create(Duration.ofHours(1))));
    await(agent.start());
    assertLogged("enrolled node", "host evil\\r\\n2025-01-01 12:00:00 INFO forged line");
    assertThat(log.list).map(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains("\n") || line.contains("\r"));
  }

  @Test
  void aCommandToANodeWithoutASessionFailsFast() {
    var sent = server.commands().send("nd-nobody", new Command("c", 1, "startInstance", null), Duration.ofSeconds(30)).toCompletableFuture();
    assertThat(sent).isCompletedExceptionally();
    assertThatThrownBy(sent::get).hasCauseInstanceOf(NodeCommands.NodeUnreachableException.class);
  }

  @Test
  void restartsWithItsCredentialsWithoutEnrolling() throws Exception {
    AgentClient first = agent("r", Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(first.start());
    await(first.close());
    agents.remove(first);

    AgentClient again = agent("r", Optional.empty());
    assertThat(await(again.start())).isEqualTo(nodeId);
    eventually(again::connected);
    assertThat(registry.list()).hasSize(1);
  }

  @Test
  void refusesAReusedToken() throws Exception {
    String token = tokens.create(Duration.ofHours(1));
    await(agent("first", Optional.of(token)).start());
    assertThatThrownBy(() -> await(agent("second", Optional.of(token)).start()))
        .hasRootCauseInstanceOf(EnrollmentException.class).rootCause().hasMessageContaining("TokenAlreadyUsed");
    assertLogged("enrollment refused", "was already used");
    assertThat(registry.list()).hasSize(1);
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    String token = tokens.create(Duration.ofMinutes(1));
    tokenClock.advance(Duration.ofMinutes(2));
    assertThatThrownBy(() -> await(agent("late", Optional.of(token)).start()))
        .hasRootCauseInstanceOf(EnrollmentException.class).rootCause().hasMessageContaining("TokenExpired");
    assertLogged("enrollment refused", "has expired");
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void theAgentRefusesAControllerWhoseCaIsNotTheTokens() throws Exception {
    String real = tokens.create(Duration.ofHours(1));
    EnrollmentToken parsed = EnrollmentToken.parse(real).orElseThrow();
    String wrongCa = new EnrollmentToken(parsed.id(), parsed.secret(), "00".repeat(32)).format();

    assertThatThrownBy(() -> await(agent("pinned", Optional.of(wrongCa)).start()))
        .hasRootCauseInstanceOf(EnrollmentException.class).rootCause().hasMessageContaining("not trusted");
    assertThat(Files.exists(dir.resolve("pinned/node.json"))).isFalse();
    // Nothing secret reached the controller: the real token still works.
    assertThat(tokens.redeem(real).accepted()).isTrue();
  }

  @Test
  void refusesASelfSignedClientCertificate() throws Exception {
    KeyPair pair = TestCertificates.keyPair();
    assertSessionRefused(pair.getPrivate(), TestCertificates.selfSigned(pair, PeerRole.NODE, "nd-rogue"));
    assertLogged("refused the TLS client", "self-signed");
  }

  @Test
  void refusesACertificateFromAForeignCa() throws Exception {
    CertificateAuthority foreign = CertificateAuthority.loadOrCreate(new InMemoryTable<>(), secrets, "other", Clock.systemUTC(), random);
    KeyPair pair = TestCertificates.keyPair();
    X509Certificate certificate = foreign.issue(TestCertificates.csr(pair), PeerRole.NODE, "nd-rogue", Duration.ofDays(1));
    assertSessionRefused(pair.getPrivate(), certificate, foreign.certificate());
    assertLogged("refused the TLS client", "a CA other than this cloud's");
  }

  @Test
  void refusesAnExpiredCertificate() throws Exception {
    // The same CA, as it was 100 days ago, issued a one-day certificate.
    var past = new MutableClock(Instant.now().minus(Duration.ofDays(100)));
    CertificateAuthority then = CertificateAuthority.loadOrCreate(caTable, secrets, "test", past, random);
    KeyPair pair = TestCertificates.keyPair();
    X509Certificate expired = then.issue(TestCertificates.csr(pair), PeerRole.NODE, "nd-old", Duration.ofDays(1));
    assertSessionRefused(pair.getPrivate(), expired);
    assertLogged("refused the TLS client", "expired");
  }

  @Test
  void refusesACertificateOfAnotherRole() throws Exception {
    KeyPair pair = TestCertificates.keyPair();
    X509Certificate storage = ca.issue(TestCertificates.csr(pair), PeerRole.STORAGE, "s-1", Duration.ofDays(1));
    assertSessionRefused(pair.getPrivate(), storage);
    assertLogged("refused the TLS client", "role 'storage'");
  }

  @Test
  void refusesASessionWithoutAClientCertificate() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
        .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(ca.certificate(), Clock.systemUTC(), Set.of(PeerRole.CONTROLLER), "test"))));
    try {
      assertThatThrownBy(() -> await(client.connect(connectOptions()))).isInstanceOf(ExecutionException.class);
      assertLogged("agent session refused", "no client certificate");
    } finally {
      await(client.close());
    }
  }

  // ---- helpers ----

  private AgentClient agent(String name, Optional<String> token) {
    return agent(name, "host-" + name, token);
  }

  private AgentClient agent(String name, String hostname, Optional<String> token) {
    AgentSettings settings = new AgentSettings(dir.resolve(name), List.of(url), token, hostname, "canopy-1a", Duration.ofMillis(100));
    AgentClient agent = new AgentClient(vertx, settings, () -> CAPACITY, () -> new HostLoad(0.1, 512),
        () -> List.of(new DomainReport("i-1", "running")),
        command -> {
          dispatched.add(command);
          return new Ack(command.id(), true, null, null, command.epoch(), null);
        },
        Clock.systemUTC(), new java.util.Random(7));
    agents.add(agent);
    return agent;
  }

  private void assertSessionRefused(PrivateKey key, X509Certificate... chain) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(PeerCertificates.keyManagers(key, chain)))
        .setTrustOptions(TrustOptions.wrap(PeerCertificates.trustManager(ca.certificate(), Clock.systemUTC(), Set.of(PeerRole.CONTROLLER), "test"))));
    try {
      assertThatThrownBy(() -> await(client.connect(connectOptions()))).isInstanceOf(ExecutionException.class);
      assertThat(registry.list()).isEmpty();
    } finally {
      await(client.close());
    }
  }

  private WebSocketConnectOptions connectOptions() {
    int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true).setURI("/v1/agent");
  }

  private void assertLogged(String... fragments) throws InterruptedException {
    eventually(() -> log.list.stream().map(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> java.util.Arrays.stream(fragments).allMatch(line::contains)));
  }

  private static void eventually(BooleanSupplier condition) {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20))
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("condition not met within 10 s");
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
