package dev.canopy.storage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on what a storage node reads from a controller's answer, over real HTTP: a body up to
 * the bound arrives whole, one byte more fails naming the bound, however the server sends it.
 */
class LimitedBodyTest {

  private static final int BYTES_MAX = 16 * 1024;

  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/sized/", exchange -> {
      int size = Integer.parseInt(exchange.getRequestURI().getPath().substring("/sized/".length()));
      byte[] body = new byte[size];
      Arrays.fill(body, (byte) 'x');
      exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/chunked/", exchange -> {
      int size = Integer.parseInt(exchange.getRequestURI().getPath().substring("/chunked/".length()));
      exchange.sendResponseHeaders(200, 0); // no length: chunked, the client learns the size only as it reads
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] piece = new byte[1000];
        Arrays.fill(piece, (byte) 'y');
        for (int sent = 0; sent < size; sent += piece.length) {
          out.write(piece, 0, Math.min(piece.length, size - sent));
        }
      } catch (IOException cutOffByTheClient) {
        // The client stopped reading once past its bound: expected for the large bodies.
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private byte[] read(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).build(), info -> new LimitedBody(BYTES_MAX));
    return response.body();
  }

  @Test
  void aBodyOfExactlyTheBoundArrivesWhole() throws Exception {
    assertThat(read("/sized/" + BYTES_MAX)).hasSize(BYTES_MAX).containsOnly((byte) 'x');
    assertThat(read("/chunked/" + BYTES_MAX)).hasSize(BYTES_MAX).containsOnly((byte) 'y');
  }

  @Test
  void anEmptyBodyIsEmptyNotAFailure() throws Exception {
    assertThat(read("/sized/0")).isEmpty();
  }

  @Test
  void oneByteOverTheBoundFailsNamingTheBound() {
    assertThatThrownBy(() -> read("/sized/" + (BYTES_MAX + 1)))
        .isInstanceOf(IOException.class).hasMessageContaining("passes " + BYTES_MAX + " bytes");
  }

  @Test
  void aChunkedBodyFarPastTheBoundFailsWithoutBeingKept() {
    assertThatThrownBy(() -> read("/chunked/" + (64 * BYTES_MAX)))
        .isInstanceOf(IOException.class).hasMessageContaining("passes " + BYTES_MAX + " bytes");
  }
}
