package dev.canopy.storage.kv.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.storage.kv.PeerTransport;
import dev.canopy.storage.kv.PeerUnreachableException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls between storage nodes over real mutual TLS: answers, limits, timeouts, failures, load. */
class PeerTransportTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static PeerPki pki;
  private PeerNodes nodes;

  @BeforeAll
  static void certificates() throws Exception {
    pki = PeerPki.get();
  }

  @BeforeEach
  void start() {
    nodes = new PeerNodes(pki);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A handler answering "<its node>: from <caller>: <request>". */
  private static PeerTransport.Handler echo(String self) {
    return (from, request) -> CompletableFuture.completedFuture(utf8(self + ": from " + from + ": " + text(request)));
  }

  private static ThrowableAssertAlternative<?> assertUnreachable(CompletableFuture<byte[]> call) {
    return assertThat(call).failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(PeerUnreachableException.class);
  }

  /** A plain HTTPS client presenting st-1's certificate, for what the transport would never send. */
  private static HttpResponse<String> post(URI base, byte[] body) throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(pki.pki.clientContext(pki.storage1.keys(), PeerTls.STORAGE_ROLE))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    HttpRequest request = HttpRequest.newBuilder(base.resolve(PeerServer.PATH))
        .timeout(PATIENCE)
        .POST(BodyPublishers.ofByteArray(body))
        .build();
    return client.send(request, BodyHandlers.ofString());
  }

  @Test
  void twoNodesCallEachOtherAndEachHandlerLearnsTheCallerFromItsCertificate() {
    URI st1 = nodes.server(pki.storage1, echo("st-1"));
    URI st2 = nodes.server(pki.storage2, echo("st-2"));
    Map<String, URI> ring = Map.of("st-1", st1, "st-2", st2);
    PeerTransport fromSt1 = nodes.transport(pki.storage1, ring);
    PeerTransport fromSt2 = nodes.transport(pki.storage2, ring);

    assertThat(fromSt1.call("st-2", utf8("put k1"))).succeedsWithin(PATIENCE)
        .satisfies(answer -> assertThat(text(answer)).isEqualTo("st-2: from st-1: put k1"));
    assertThat(fromSt2.call("st-1", utf8("get k1"))).succeedsWithin(PATIENCE)
        .satisfies(answer -> assertThat(text(answer)).isEqualTo("st-1: from st-2: get k1"));
    // A node may call itself (a preference list that includes the coordinator).
    assertThat(fromSt1.call("st-1", new byte[0])).succeedsWithin(PATIENCE)
        .satisfies(answer -> assertThat(text(answer)).isEqualTo("st-1: from st-1: "));
  }

  @Test
  void aRingChangeAddsAPeerAndAnUnknownNodeIsUnreachable() {
    URI st2 = nodes.server(pki.storage2, echo("st-2"));
    VertxPeerTransport transport = nodes.transport(pki.storage1, Map.of());

    assertUnreachable(transport.call("st-2", utf8("x"))).withMessageContaining("not in this node's list of storage peers");
    transport.peers(Map.of("st-2", st2));
    assertThat(transport.call("st-2", utf8("x"))).succeedsWithin(PATIENCE);
    transport.peers(Map.of());
    assertUnreachable(transport.call("st-2", utf8("x"))).withMessageContaining("not in this node's list");
  }

  @Test
  void aNodeThatDoesNotListenIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", URI.create("https://127.0.0.1:" + closedPort)));
    assertUnreachable(transport.call("st-2", utf8("x"))).withMessageContaining("storage node st-2 unreachable");
  }

  @Test
  void aPeerThatDoesNotAnswerInTimeIsUnreachableAndTheNextCallStillWorks() {
    AtomicInteger calls = new AtomicInteger();
    // The first call hangs for ever; later ones answer.
    URI st2 = nodes.server(pki.storage2, (from, request) ->
        calls.incrementAndGet() == 1 ? new CompletableFuture<>() : CompletableFuture.completedFuture(request));
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2), Duration.ofMillis(300));

    assertUnreachable(transport.call("st-2", utf8("hang"))).withMessageContaining("no answer within 300 ms");
    assertThat(transport.call("st-2", utf8("again"))).succeedsWithin(PATIENCE)
        .satisfies(answer -> assertThat(text(answer)).isEqualTo("again"));
  }

  @Test
  void aRequestOverTheLimitIsRefusedWith413AndTheTransportFailsItBeforeSending() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    URI st2 = nodes.server(pki.storage2, (from, request) -> {
      handled.incrementAndGet();
      return CompletableFuture.completedFuture(new byte[] {(byte) request.length});
    });
    byte[] oversized = new byte[PeerLimits.REQUEST_BYTES_MAX + 1];

    HttpResponse<String> refused = post(st2, oversized);
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.body()).contains("at most " + PeerLimits.REQUEST_BYTES_MAX + " bytes");

    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2));
    assertUnreachable(transport.call("st-2", oversized)).withMessageContaining("passes the peer limit of " + PeerLimits.REQUEST_BYTES_MAX);
    assertThat(handled).hasValue(0);
    // Exactly the limit passes.
    assertThat(transport.call("st-2", new byte[PeerLimits.REQUEST_BYTES_MAX])).succeedsWithin(PATIENCE);
    assertThat(handled).hasValue(1);
  }

  @Test
  void aFailingHandlerGives500WithAShortTextAndNoStackTrace() throws Exception {
    URI st2 = nodes.server(pki.storage2, (from, request) -> {
      if (request.length == 0) {
        throw new IllegalStateException("secret internal detail");
      }
      return CompletableFuture.failedFuture(new IllegalStateException("another secret detail"));
    });

    for (byte[] request : List.of(new byte[0], new byte[] {1})) {
      HttpResponse<String> failed = post(st2, request);
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).contains("failed to handle the call").doesNotContain("secret", "Exception", "\tat ", "dev.canopy");
    }
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2));
    assertUnreachable(transport.call("st-2", new byte[0]))
        .withMessageContaining("HTTP 500")
        .withMessageNotContaining("secret");
  }

  @Test
  void anAnswerOverTheLimitIsNotSentAndTheCallerSees500() throws Exception {
    URI st2 = nodes.server(pki.storage2, (from, request) -> CompletableFuture.completedFuture(new byte[PeerLimits.RESPONSE_BYTES_MAX + 1]));

    HttpResponse<String> failed = post(st2, utf8("x"));
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).contains("answer passes the peer limit");
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2));
    assertUnreachable(transport.call("st-2", utf8("x"))).withMessageContaining("HTTP 500");
  }

  @Test
  void aSaturatedWorkerPoolGives503() throws Exception {
    URI st2 = nodes.server(pki.storage2, echo("st-2"), command -> {
      throw new RejectedExecutionException("full");
    });

    HttpResponse<String> refused = post(st2, utf8("x"));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("saturated");
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2));
    assertUnreachable(transport.call("st-2", utf8("x"))).withMessageContaining("HTTP 503");
  }

  @Test
  void closingLetsACallInFlightAnswerThenRefusesNewCalls() {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    AtomicInteger handled = new AtomicInteger();
    PeerNodes.Started st2 = nodes.start(pki.storage2, (from, request) -> {
      handled.incrementAndGet();
      return answer;
    }, nodes.workers);
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2.base()), PATIENCE);

    CompletableFuture<byte[]> inFlight = transport.call("st-2", utf8("x"));
    await().atMost(PATIENCE).until(() -> handled.get() == 1);
    CompletableFuture<Void> closed = st2.server().close().toCompletionStage().toCompletableFuture();
    // A new connection is refused once the server is closing (a new transport has no pooled connection)...
    PeerTransport newcomer = nodes.transport(pki.storage1, Map.of("st-2", st2.base()), PATIENCE);
    assertUnreachable(newcomer.call("st-2", utf8("y")));
    assertThat(closed).isNotDone();
    // ...while the call in flight still gets its answer.
    answer.complete(utf8("answered while closing"));

    assertThat(inFlight).succeedsWithin(PATIENCE).satisfies(bytes -> assertThat(text(bytes)).isEqualTo("answered while closing"));
    assertThat(closed).succeedsWithin(PATIENCE);
    assertThat(handled).hasValue(1);
  }

  @Test
  void twoThousandCallsInFlightOverTheBoundedPoolAllComplete() {
    AtomicInteger inHandler = new AtomicInteger();
    AtomicInteger inHandlerMax = new AtomicInteger();
    URI st2 = nodes.server(pki.storage2, (from, request) -> {
      inHandlerMax.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
      // Answered from another thread, later, as the engine answers after its backend call.
      return CompletableFuture.supplyAsync(() -> {
        inHandler.decrementAndGet();
        return request;
      }, nodes.workers);
    });
    PeerTransport transport = nodes.transport(pki.storage1, Map.of("st-2", st2), PATIENCE);

    int calls = 2_000;
    List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      inFlight.add(transport.call("st-2", utf8("call " + i)));
    }
    assertThat(CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))).succeedsWithin(PATIENCE);
    for (int i = 0; i < calls; i++) {
      assertThat(text(inFlight.get(i).join())).isEqualTo("call " + i);
    }
    // HTTP/1.1 carries one call per connection at a time: the server never saw more than the pool's connections.
    assertThat(inHandlerMax.get()).isBetween(1, PeerLimits.CONNECTIONS_PER_PEER_MAX);
  }
}
