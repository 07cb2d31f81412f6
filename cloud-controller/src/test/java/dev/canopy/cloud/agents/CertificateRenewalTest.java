package dev.canopy.cloud.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.ca.TestCertificates;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.InstanceOwners;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.agent.AgentSettings;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CertificateLifetime;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Node certificates are renewed over the agent's own mutual-TLS session, without a restart: a real
 * agent server and a real agent over loopback, one injected clock for the CA, the server's trust
 * checks and the agent, moved across the certificate's lifetime.
 */
class CertificateRenewalTest {

  private static final HostCapacity CAPACITY = new HostCapacity(4, 8192, 100);

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final SecretBox secrets = new SecretBox(MasterKey.generate(random), random);
  private final MutableClock clock = new MutableClock(Instant.now());
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Vertx vertx;
  private CertificateAuthority ca;
  private EnrollmentTokens tokens;
  /** Kept across a restart of the agent server, as the grid keeps it across a controller's. */
  private NodeRegistry registry;
  private AgentServer server;
  private AgentClient agent;
  private int port;

  @BeforeEach
  void start() throws Exception {
    log.start();
    ((Logger) LoggerFactory.getLogger("dev.canopy.node.agent.CertificateRenewer")).addAppender(log);
    vertx = Vertx.vertx();
    ca = CertificateAuthority.loadOrCreate(new InMemoryTable<CaRecord>(), secrets, "test", clock, random);
    tokens = new EnrollmentTokens(new InMemoryTable<>(), clock, random, ca.caSha256());
    registry = new NodeRegistry(new InMemoryTable<>(), clock, Duration.ofSeconds(30));
    server = newServer();
    port = await(server.listen("127.0.0.1", 0));
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      await(agent.close());
    }
    await(server.close());
    await(vertx.close());
    ((Logger) LoggerFactory.getLogger("dev.canopy.node.agent.CertificateRenewer")).detachAppender(log);
  }

  @Test
  void pastTwoThirdsOfItsLifetimeAnAgentRenewsOverItsSessionAndPresentsTheNewCertificateFromItsNextConnection() throws Exception {
    agent = agent(Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(agent.start());
    eventually(() -> server.hasSession(nodeId));
    X509Certificate enrolled = agent.certificate().orElseThrow();
    String enrolledPem = Files.readString(dir.resolve("node/node.crt"));

    assertThat(await(agent.renewCertificateIfDue())).as("renewed before two thirds of the lifetime").isFalse();
    clock.set(CertificateLifetime.renewAt(enrolled).minusSeconds(60));
    assertThat(await(agent.renewCertificateIfDue())).isFalse();
    assertThat(Files.readString(dir.resolve("node/node.crt"))).isEqualTo(enrolledPem);

    clock.set(CertificateLifetime.renewAt(enrolled).plusSeconds(1));
    assertThat(await(agent.renewCertificateIfDue())).isTrue();

    X509Certificate renewed = agent.certificate().orElseThrow();
    assertThat(PeerCertificates.identityOf(renewed).id()).isEqualTo(nodeId);
    assertThat(renewed.getPublicKey()).as("a new key").isNotEqualTo(enrolled.getPublicKey());
    assertThat(renewed.getNotAfter().toInstant()).isAfter(enrolled.getNotAfter().toInstant().plus(Duration.ofDays(59)));
    renewed.verify(ca.certificate().getPublicKey());
    assertThat(Files.readString(dir.resolve("node/node.crt"))).as("stored for the next start").isEqualTo(PeerCertificates.toPem(renewed));
    assertThat(await(agent.renewCertificateIfDue())).as("not due again for 60 days").isFalse();

    // The same agent, not restarted, presents the new certificate when it next connects.
    await(server.close());
    server = newServer();
    await(server.listen("127.0.0.1", port));
    eventually(() -> server.hasSession(nodeId));
    Duration presented = server.soonestNodeCertificateExpiry().orElseThrow();
    assertThat(clock.instant().plus(presented)).isEqualTo(renewed.getNotAfter().toInstant());
  }

  @Test
  void aRenewalNoControllerTakesKeepsTheOldCertificateAndLogsWhenItExpires() throws Exception {
    agent = agent(Optional.of(tokens.create(Duration.ofHours(1))));
    String nodeId = await(agent.start());
    eventually(() -> server.hasSession(nodeId));
    X509Certificate enrolled = agent.certificate().orElseThrow();
    await(server.close());
    eventually(() -> !agent.connected());

    clock.set(CertificateLifetime.renewAt(enrolled).plus(Duration.ofDays(1)));
    assertThatThrownBy(() -> await(agent.renewCertificateIfDue())).isInstanceOf(ExecutionException.class);

    assertThat(agent.certificate()).contains(enrolled);
    assertThat(log.list).map(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.contains("node " + nodeId + ": its certificate expires at " + enrolled.getNotAfter().toInstant())
            && line.contains("was not renewed"));
  }

  @Test
  void theControllerRenewsANodeAtMostOnceAMinuteAndOnlyForTheSessionsOwnId() throws Exception {
    NodeCertificates certificates = new NodeCertificates(ca, clock);
    String pem = certificates.renew("nd-bound", TestCertificates.csr(TestCertificates.keyPair()));
    assertThat(PeerCertificates.identityOf(PeerCertificates.parseCertificates(pem).get(0)).id()).isEqualTo("nd-bound");

    assertThatThrownBy(() -> certificates.renew("nd-bound", TestCertificates.csr(TestCertificates.keyPair())))
        .isInstanceOfSatisfying(NodeCertificates.RenewalRefused.class, e -> assertThat(e.code).isEqualTo("TooSoon"));
    clock.advance(NodeCertificates.RENEWAL_INTERVAL_MIN);
    assertThat(certificates.renew("nd-bound", TestCertificates.csr(TestCertificates.keyPair()))).isNotEmpty();
    assertThatThrownBy(() -> certificates.renew("nd-other", "not a CSR"))
        .isInstanceOfSatisfying(NodeCertificates.RenewalRefused.class, e -> assertThat(e.code).isEqualTo("InvalidCsr"));
  }

  private AgentServer newServer() {
    return new AgentServer(vertx, ca, ca.controllerCredentials("c1", List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY),
        tokens, registry, new MeteringService(new InMemoryTable<>(), InstanceOwners.NONE, clock), List.of(), clock, random);
  }

  private AgentClient agent(Optional<String> token) {
    AgentSettings settings = new AgentSettings(dir.resolve("node"), List.of("https://127.0.0.1:" + port), token, "host-renewal",
        "canopy-1a", Duration.ofMillis(100));
    return new AgentClient(vertx, settings, () -> CAPACITY, () -> new HostLoad(0.1, 512),
        () -> List.of(new DomainReport("i-1", "running")),
        command -> new Ack(command.id(), true, null, null, command.epoch(), null), clock, new java.util.Random(7));
  }

  private static void eventually(java.util.function.BooleanSupplier condition) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
  }
}
