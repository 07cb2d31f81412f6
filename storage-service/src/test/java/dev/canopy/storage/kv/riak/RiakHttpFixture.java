package dev.canopy.storage.kv.riak;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real Riak HTTP server on an ephemeral loopback port over a {@link FakeKvService}, and a
 * {@link HttpClient} to call it, for each test.
 */
abstract class RiakHttpFixture {

  protected Vertx vertx;
  protected FakeKvService kv;
  protected RiakHttpServer server;
  protected HttpClient http;
  protected String base;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    kv = new FakeKvService();
    server = new RiakHttpServer(vertx, RiakHttpConfig.loopback("127.0.0.1", 0), kv, new SplittableRandom(7));
    int port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
    http = HttpClient.newHttpClient();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  protected HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  protected HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET());
  }

  protected HttpResponse<String> put(String path, String contentType, String body) throws Exception {
    return send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  protected HttpResponse<String> putJson(String path, String json) throws Exception {
    return put(path, "application/json", json);
  }

  protected HttpResponse<String> delete(String path) throws Exception {
    return send(request(path).DELETE());
  }
}
