package dev.canopy.storage.kv.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.canopy.core.tls.KeytoolPki;
import dev.canopy.core.tls.PeerTrustManager;
import dev.canopy.storage.kv.PeerUnreachableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Who may talk to whom: only storage certificates of this cloud, and only the node that was dialed. */
class PeerTrustTest {

  private static PeerPki pki;

  private final ListAppender<ILoggingEvent> refusals = new ListAppender<>();
  private final List<String> handledFrom = new CopyOnWriteArrayList<>();
  private PeerNodes nodes;
  private URI storage2;

  @BeforeAll
  static void certificates() throws Exception {
    pki = PeerPki.get();
  }

  @BeforeEach
  void start() {
    refusals.start();
    ((Logger) LoggerFactory.getLogger(PeerTrustManager.class)).addAppender(refusals);
    nodes = new PeerNodes(pki);
    storage2 = nodes.server(pki.storage2, (from, request) -> {
      handledFrom.add(from);
      return CompletableFuture.completedFuture(request);
    });
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(PeerTrustManager.class)).detachAppender(refusals);
    nodes.close();
  }

  private CompletableFuture<byte[]> callStorage2As(KeytoolPki.Issued client) {
    return nodes.transport(client, Map.of("st-2", storage2)).call("st-2", "ping".getBytes(StandardCharsets.UTF_8));
  }

  private void assertUnreachable(CompletableFuture<byte[]> call) {
    assertThat(call).failsWithin(Duration.ofSeconds(30))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(PeerUnreachableException.class);
  }

  private void assertRefusalLogged(String... fragments) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(refusals.list)
        .map(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains(fragments)));
  }

  @Test
  void aStorageNodeOfThisCloudIsAdmittedUnderTheIdItsCertificateNames() {
    assertThat(callStorage2As(pki.storage1)).succeedsWithin(Duration.ofSeconds(30))
        .satisfies(answer -> assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("ping"));
    assertThat(handledFrom).containsExactly("st-1");
  }

  @Test
  void aNodeAgentCertificateIsRefused() {
    assertUnreachable(callStorage2As(pki.nodeAgent));
    assertRefusalLogged("storage peer port: refused the TLS client", "canopy:node:nd-1", "names role 'node'");
    assertThat(handledFrom).isEmpty();
  }

  @Test
  void aControllerCertificateIsRefused() {
    assertUnreachable(callStorage2As(pki.controller));
    assertRefusalLogged("storage peer port: refused the TLS client", "names role 'controller'");
    assertThat(handledFrom).isEmpty();
  }

  @Test
  void aStorageCertificateOfAnotherCaIsRefused() {
    assertUnreachable(callStorage2As(pki.otherCloudStorage));
    assertRefusalLogged("storage peer port: refused the TLS client", "a CA other than this cloud's");
    assertThat(handledFrom).isEmpty();
  }

  @Test
  void aServerNamingAnotherStorageIdThanTheOneDialedIsRefused() {
    // st-2 answers where the caller believes st-1 listens (a stale ring, a moved port): its votes must not count as st-1's.
    CompletableFuture<byte[]> call = nodes.transport(pki.storage1, Map.of("st-1", storage2)).call("st-1", new byte[] {1});
    assertUnreachable(call);
    assertRefusalLogged("storage peer → st-1: refused the TLS server", "canopy:storage:st-2", "not of the dialed storage node st-1");
    assertThat(handledFrom).isEmpty();
  }
}
