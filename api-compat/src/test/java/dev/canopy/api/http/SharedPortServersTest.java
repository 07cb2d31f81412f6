package dev.canopy.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several real Vert.x servers on one port, each on its own event loop, driven by raw sockets. */
class SharedPortServersTest {

  private static final int EVENT_LOOPS = 4;

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void connectionsToPortZeroAreSpreadOverEveryServersEventLoop() throws Exception {
    SharedPortServers servers = listen(EVENT_LOOPS, 0);
    assertThat(servers.eventLoops()).isEqualTo(EVENT_LOOPS);
    assertThat(servers.port()).isPositive();

    Set<String> threads = new HashSet<>();
    for (int i = 0; i < 4 * EVENT_LOOPS; i++) {
      threads.add(get(servers.port()));
    }
    // Round robin over the servers: every event loop answered some of the 16 connections.
    assertThat(threads).hasSize(EVENT_LOOPS).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
  }

  @Test
  void oneEventLoopServesEveryConnectionFromOneThread() throws Exception {
    SharedPortServers servers = listen(1, 0);
    Set<String> threads = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      threads.add(get(servers.port()));
    }
    assertThat(threads).hasSize(1);
  }

  @Test
  void closeStopsEveryServerAndUndeploysThem() throws Exception {
    SharedPortServers servers = listen(EVENT_LOOPS, 0);
    int port = servers.port();
    servers.close().await(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class);
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void aPortTakenByAnotherProcessFailsTheListenAndLeavesNothingDeployed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> listen(EVENT_LOOPS, taken.getLocalPort())).hasMessageContaining("in use");
      assertThat(vertx.deploymentIDs()).isEmpty();
    }
  }

  @Test
  void aConnectionGuardCountsTheConnectionsOfAllTheServers() throws Exception {
    ConnectionGuard guard = ConnectionGuard.of(vertx,
        new ConnectionLimits(100, 100, Duration.ofSeconds(30), Duration.ofSeconds(30)), "test");
    SharedPortServers servers = SharedPortServers.listen(vertx, EVENT_LOOPS, "127.0.0.1", 0,
        () -> guard.install(vertx.createHttpServer(guard.configure(new HttpServerOptions())), request -> request.response().end("ok")))
        .await(10, TimeUnit.SECONDS);
    Socket[] open = new Socket[2 * EVENT_LOOPS];
    try {
      for (int i = 0; i < open.length; i++) {
        open[i] = new Socket("127.0.0.1", servers.port());
        request(open[i]);
      }
      assertThat(guard.open()).isEqualTo(open.length);
    } finally {
      for (Socket socket : open) {
        if (socket != null) {
          socket.close();
        }
      }
      guard.close();
    }
  }

  private SharedPortServers listen(int eventLoops, int port) throws Exception {
    return SharedPortServers.listen(vertx, eventLoops, "127.0.0.1", port,
            () -> vertx.createHttpServer().requestHandler(request -> request.response().end(Thread.currentThread().getName())))
        .await(10, TimeUnit.SECONDS);
  }

  /** One request on a connection of its own; the body names the thread that answered. */
  private static String get(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return request(socket);
    }
  }

  private static String request(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the answer");
      }
      head.append((char) b);
    }
    int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
