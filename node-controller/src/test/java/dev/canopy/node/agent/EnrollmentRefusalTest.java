package dev.canopy.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.node.protocol.EnrollResponse;
import dev.canopy.node.protocol.HostCapacity;
import dev.canopy.node.protocol.HostLoad;
import dev.canopy.node.protocol.PeerCertificates;
import dev.canopy.node.protocol.PeerRole;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment against a controller the test controls: the agent sends its token only to a
 * controller whose chain holds the CA its token names, and takes back only a certificate of its
 * own key and id from that same CA; every refusal says why, and nothing is saved.
 */
class EnrollmentRefusalTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HostCapacity CAPACITY = new HostCapacity(16, 3072, 100);

  @TempDir Path dataDir;
  private Vertx vertx;
  private TestPki ca;
  private FakeController controller;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ca = TestPki.newCa("canopy test CA");
    controller = FakeController.start(vertx, ca);
  }

  @AfterEach
  void stop() {
    controller.close();
    vertx.close().await();
  }

  private AgentCredentials enroll(String token, String... controllers) throws Exception {
    return new Enroller(vertx, Clock.systemUTC()).enroll(List.of(controllers), token, "host-1", "zone-a", CAPACITY);
  }

  /** What a real controller answers: a node certificate for the CSR's key, from {@code issuer}, naming {@code certifiedId}. */
  private Function<JsonNode, FakeController.Reply> issuing(TestPki issuer, String answeredId, String certifiedId,
      Optional<PublicKey> otherKey, TestPki caInAnswer) {
    return request -> {
      try {
        PublicKey key = otherKey.orElse(TestPki.keyOfCsr(request.path("csrPem").asText()));
        EnrollResponse response = new EnrollResponse(answeredId,
            PeerCertificates.toPem(issuer.issue(key, PeerRole.NODE, certifiedId)),
            PeerCertificates.toPem(caInAnswer.certificate), List.of(controller.url()));
        return new FakeController.Reply(200, JSON.writeValueAsString(response));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private Function<JsonNode, FakeController.Reply> issuing(String nodeId) {
    return issuing(ca, nodeId, nodeId, Optional.empty(), ca);
  }

  private static String closedPortUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "https://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void aGoodAnswerGivesCredentialsOfThisNodesOwnKeyAndTheRequestCarriesWhatTheControllerNeeds() throws Exception {
    JsonNode[] seen = new JsonNode[1];
    Function<JsonNode, FakeController.Reply> issue = issuing("nd-0001");
    controller.enroll = request -> {
      seen[0] = request;
      return issue.apply(request);
    };

    AgentCredentials credentials = enroll(ca.token(), controller.url());

    assertThat(credentials.nodeId()).isEqualTo("nd-0001");
    assertThat(credentials.ca()).isEqualTo(ca.certificate);
    assertThat(credentials.controllers()).containsExactly(controller.url());
    assertThat(PeerCertificates.identityOf(credentials.certificate()).id()).isEqualTo("nd-0001");
    assertThat(seen[0].path("token").asText()).isEqualTo(ca.token());
    assertThat(seen[0].path("hostname").asText()).isEqualTo("host-1");
    assertThat(seen[0].path("zone").asText()).isEqualTo("zone-a");
    assertThat(seen[0].path("capacity").path("vcpus").asInt()).isEqualTo(16);
    assertThat(seen[0].path("csrPem").asText()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(seen[0].toString()).as("the private key never leaves the node").doesNotContain("PRIVATE KEY");
  }

  @Test
  void aTokenThatIsNotACanopyTokenIsRefusedBeforeAnyControllerIsAsked() {
    for (String token : new String[] {"", "canopy2.0123456789abcdef.s3cretS3cretS3cret." + ca.fingerprint(),
        "canopy1.0123456789abcdef.short." + ca.fingerprint(), "canopy1.0123456789abcdef.s3cretS3cretS3cret.nothex"}) {
      assertThatThrownBy(() -> enroll(token, controller.url())).as("'%s'", token)
          .isInstanceOf(EnrollmentException.class).hasMessage("the enrollment token is not a canopy1 token");
    }
    assertThat(controller.enrollRequests).hasValue(0);
  }

  @Test
  void aControllerWhoseChainLacksTheTokensCaNeverSeesTheToken() throws Exception {
    TestPki other = TestPki.newCa("another cloud");

    assertThatThrownBy(() -> enroll(other.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("no controller enrolled this node")
        .hasMessageContaining(controller.url() + ": not trusted (its CA is not the one the token names)")
        .hasMessageNotContaining("s3cret");
    assertThat(controller.enrollRequests).as("the token was never sent").hasValue(0);
  }

  @Test
  void aServerCertificateOfTheRightCaButNotAControllersIsNotTrusted() throws Exception {
    KeyPair key = Enroller.newKeyPair();
    try (FakeController impostor = FakeController.start(vertx, ca, key, ca.issue(key.getPublic(), PeerRole.NODE, "nd-evil"))) {
      assertThatThrownBy(() -> enroll(ca.token(), impostor.url()))
          .isInstanceOf(EnrollmentException.class).hasMessageContaining("not trusted");
      assertThat(impostor.enrollRequests).hasValue(0);
    }
  }

  @Test
  void aRefusalCarriesTheControllersCodeAndMessage() {
    controller.enroll = request -> new FakeController.Reply(403,
        "{\"code\":\"InvalidToken\",\"message\":\"the token was used already\"}");

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessage("the controller at " + controller.url() + " refused enrollment: InvalidToken: the token was used already");
  }

  @Test
  void aRefusalWithoutABodyStillSaysWhatHappened() {
    controller.enroll = request -> new FakeController.Reply(503, "upstream down");

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessage("the controller at " + controller.url() + " refused enrollment: HTTP 503: upstream down");
  }

  @Test
  void aCertificateForAnotherKeyIsRefused() throws Exception {
    controller.enroll = issuing(ca, "nd-0001", "nd-0001", Optional.of(Enroller.newKeyPair().getPublic()), ca);

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class).hasMessage("the issued certificate does not name this node's id and key");
  }

  @Test
  void aCertificateNamingAnotherNodeIsRefused() {
    controller.enroll = issuing(ca, "nd-0001", "nd-0002", Optional.empty(), ca);

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class).hasMessage("the issued certificate does not name this node's id and key");
  }

  @Test
  void aCaOtherThanTheOneTheControllerPresentedIsRefused() throws Exception {
    TestPki other = TestPki.newCa("another cloud");
    controller.enroll = issuing(other, "nd-0001", "nd-0001", Optional.empty(), other);

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class).hasMessage("the controller returned a CA other than the one it presented");
  }

  @Test
  void aCertificateFromAnotherCaUnderTheRightCaIsRefused() throws Exception {
    TestPki other = TestPki.newCa("another cloud");
    controller.enroll = issuing(other, "nd-0001", "nd-0001", Optional.empty(), ca);

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class).hasMessageContaining("unusable").hasMessageContaining("a CA other than this cloud's");
  }

  @Test
  void anAnswerThatIsNotAnEnrollmentIsUnusable() {
    controller.enroll = request -> new FakeController.Reply(200, "{\"nodeId\":\"nd-1\",\"certificatePem\":\"x\",\"caPem\":\"y\"}");

    assertThatThrownBy(() -> enroll(ca.token(), controller.url()))
        .isInstanceOf(EnrollmentException.class).hasMessageStartingWith("the controller's enrollment answer is unusable");
  }

  @Test
  void anUnreachableControllerIsPassedOverForTheNext() throws Exception {
    controller.enroll = issuing("nd-0007");

    AgentCredentials credentials = enroll(ca.token(), closedPortUrl(), controller.url());

    assertThat(credentials.nodeId()).isEqualTo("nd-0007");
    assertThat(controller.enrollRequests).hasValue(1);
  }

  @Test
  void whenNoControllerAnswersEachIsNamedWithItsReason() throws Exception {
    String first = closedPortUrl();
    String second = closedPortUrl();

    assertThatThrownBy(() -> enroll(ca.token(), first, second))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageStartingWith("no controller enrolled this node: " + first + ": unreachable")
        .hasMessageContaining("; " + second + ": unreachable");
  }

  private AgentClient agent(Optional<String> token) {
    AgentSettings settings = new AgentSettings(dataDir, List.of(controller.url()), token, "host-1", "zone-a",
        Duration.ofSeconds(5));
    return new AgentClient(vertx, settings, () -> CAPACITY, () -> HostLoad.UNKNOWN, List::of, c -> null,
        Clock.systemUTC(), new Random(1));
  }

  @Test
  void aRefusedAgentSavesNothingAndStaysUnenrolled() throws Exception {
    controller.enroll = request -> new FakeController.Reply(403, "{\"code\":\"InvalidToken\",\"message\":\"expired\"}");
    AgentClient agent = agent(Optional.of(ca.token()));

    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> agent.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));

    assertThat(failed.getCause()).isInstanceOf(EnrollmentException.class).hasMessageContaining("InvalidToken: expired");
    assertThat(AgentClient.isEnrolled(dataDir)).isFalse();
    try (var files = Files.list(dataDir)) {
      assertThat(files).as("no key, no certificate left behind").isEmpty();
    }
    agent.close().await();
  }

  @Test
  void anUnenrolledAgentWithoutATokenSaysSo() {
    AgentClient agent = agent(Optional.empty());

    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> agent.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));

    assertThat(failed.getCause()).isInstanceOf(EnrollmentException.class)
        .hasMessage("this node is not enrolled yet and no enrollment token was given (--token)");
    assertThat(controller.enrollRequests).hasValue(0);
    agent.close().await();
  }

  @Test
  void anEnrolledAgentKeepsItsKeyPrivateAndNeverEnrollsAgain() throws Exception {
    controller.enroll = issuing("nd-0009");
    AgentClient first = agent(Optional.of(ca.token()));
    assertThat(first.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("nd-0009");
    first.close().await();

    AgentClient restarted = agent(Optional.of(ca.token()));
    String nodeId = restarted.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    restarted.close().await();

    assertThat(nodeId).isEqualTo("nd-0009");
    assertThat(controller.enrollRequests).as("the token is one-time: a restart uses the saved credentials").hasValue(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("node.key")))).isEqualTo("rw-------");
    AgentCredentials saved = AgentCredentials.load(dataDir).orElseThrow();
    assertThat(saved.certificate().getPublicKey()).isEqualTo(
        PeerCertificates.parseCertificates(Files.readString(dataDir.resolve("node.crt"))).get(0).getPublicKey());
    assertThat(saved.ca()).isEqualTo(ca.certificate);
  }
}
