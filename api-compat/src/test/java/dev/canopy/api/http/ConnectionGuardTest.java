package dev.canopy.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard on a real Vert.x server, driven by raw sockets from two loopback addresses. */
class ConnectionGuardTest {

  private static final Duration HEAD_TIMEOUT = Duration.ofMillis(400);
  private static final ConnectionLimits LIMITS = new ConnectionLimits(20, 3, Duration.ofSeconds(30), HEAD_TIMEOUT);
  /** Another loopback address: Linux routes all of 127/8 to lo, so the flood has its own address. */
  private static final String FLOOD_ADDRESS = "127.0.0.2";

  private final List<Socket> sockets = new ArrayList<>();
  private Vertx vertx;
  private ConnectionGuard guard;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    guard = ConnectionGuard.of(vertx, LIMITS, "test");
    HttpServer server = vertx.createHttpServer(guard.configure(new HttpServerOptions()));
    guard.install(server, request -> {
      // "/slow" answers after three head timeouts: a request being answered is never cut.
      long delayMs = request.path().equals("/slow") ? 3 * HEAD_TIMEOUT.toMillis() : 0;
      vertx.setTimer(Math.max(1, delayMs), id -> request.response().end("ok"));
    });
    port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    guard.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionsOverTheAddressCapAreClosedAtOnceAndOtherAddressesAreServed() throws Exception {
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < LIMITS.connectionsPerAddressMax() + 2; i++) {
      flood.add(connect(FLOOD_ADDRESS));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(flood.get(flood.size() - 1)) && closedByServer(flood.get(flood.size() - 2)));
    assertThat(guard.open()).isEqualTo(LIMITS.connectionsPerAddressMax());

    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.body()).isEqualTo("ok");
  }

  @Test
  void aConnectionThatSendsNoCompleteHeadIsClosedAfterTheHeadTimeout() throws Exception {
    Socket silent = connect(FLOOD_ADDRESS);
    Socket slow = connect(FLOOD_ADDRESS);
    slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
    // Well before the 30 s idle timeout: only the head timeout can close them.
    await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(silent) && closedByServer(slow));
    await().atMost(Duration.ofSeconds(5)).until(() -> guard.open() == 0);
  }

  @Test
  void aLongAnswerIsNotCutAndTheNextHeadIsDueAfterIt() throws Exception {
    Socket client = connect(FLOOD_ADDRESS);
    client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    client.setSoTimeout((int) (10 * HEAD_TIMEOUT.toMillis()));
    String answer = readAnswer(client.getInputStream());
    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
    // Kept alive after the answer, but no second head comes: closed by the head timeout.
    await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(client));
  }

  @Test
  void aKeepAliveConnectionHoldsOnlyItsCurrentRequestNotTheAnsweredOnes() throws Exception {
    Socket client = connect(FLOOD_ADDRESS);
    client.setSoTimeout(5_000);
    // 200 requests take several sweep intervals; answered ones must not wait for a sweep to be let go.
    for (int i = 0; i < 200; i++) {
      client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readAnswer(client.getInputStream())).startsWith("HTTP/1.1 200").endsWith("ok");
    }
    assertThat(guard.requestsHeld()).isLessThanOrEqualTo(1);
  }

  @Test
  void aRawTcpServerAdmitsUnderTheSameCaps() throws Exception {
    ConnectionGuard netGuard = ConnectionGuard.of(vertx, LIMITS, "net");
    NetServer net = vertx.createNetServer(netGuard.configure(new NetServerOptions())).connectHandler(socket -> {
      var release = netGuard.admit(socket.remoteAddress());
      if (release.isEmpty()) {
        socket.close();
        return;
      }
      socket.closeHandler(v -> release.get().run());
    });
    int netPort = net.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < LIMITS.connectionsPerAddressMax() + 1; i++) {
      Socket socket = new Socket();
      sockets.add(socket);
      socket.bind(new InetSocketAddress(InetAddress.getByName(FLOOD_ADDRESS), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", netPort));
      flood.add(socket);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(flood.get(flood.size() - 1)));
    assertThat(netGuard.open()).isEqualTo(LIMITS.connectionsPerAddressMax());
    flood.get(0).close();
    await().atMost(Duration.ofSeconds(5)).until(() -> netGuard.open() == LIMITS.connectionsPerAddressMax() - 1);
    netGuard.close();
  }

  private Socket connect(String from) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    return socket;
  }

  /** Whether the server has closed the socket: end of stream or a reset; a read that times out means open. */
  static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(50);
      InputStream in = socket.getInputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder answer = new StringBuilder();
    while (!answer.toString().endsWith("ok")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      answer.append((char) b);
    }
    return answer.toString();
  }
}
