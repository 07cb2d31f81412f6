package dev.canopy.images.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server whose paths answer with scripted behaviours, one per request in order (the
 * last repeats), and count the requests they get. Stands in for S3's presigned GETs.
 */
final class ObjectServer implements AutoCloseable {

  /** How one request is answered. */
  interface Reply {
    void answer(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final java.util.concurrent.ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  /** Released at close, so a stalled reply never outlives its test. */
  final CountDownLatch released = new CountDownLatch(1);

  ObjectServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code replies} at {@code path}, in order, the last for every further request. */
  URI serve(String path, Reply... replies) {
    Deque<Reply> script = new ArrayDeque<>(java.util.List.of(replies));
    scripts.put(path, script);
    counts.put(path, new AtomicInteger());
    // A query like a presigned URL's: it must never show up in messages.
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path + "?X-Amz-Signature=secret");
  }

  int requests(String path) {
    AtomicInteger n = counts.get(path);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Deque<Reply> script = scripts.get(path);
    try (exchange) {
      if (script == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      counts.get(path).incrementAndGet();
      Reply reply;
      synchronized (script) {
        reply = script.size() > 1 ? script.poll() : script.peek();
      }
      // A reply that throws (a short body) makes the server drop the connection: the point of it.
      reply.answer(exchange);
    }
  }

  static Reply body(byte[] bytes) {
    return ex -> {
      ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  static Reply status(int code) {
    return ex -> ex.sendResponseHeaders(code, -1);
  }

  /** Announces every byte, sends half, and drops the connection. */
  static Reply truncated(byte[] bytes) {
    return ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      out.close(); // throws: fewer bytes than announced, and the server closes the connection
    };
  }

  /** A chunked body (no Content-Length to lie with) that simply ends early. */
  static Reply shortChunked(byte[] bytes) {
    return ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes, 0, bytes.length - 1);
      }
    };
  }

  /** The headers, then nothing until the test ends. */
  Reply stalled(byte[] bytes) {
    return ex -> {
      ex.sendResponseHeaders(200, bytes.length);
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Waits for {@code gate} before answering with the body. */
  static Reply gated(CountDownLatch gate, byte[] bytes) {
    return ex -> {
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      body(bytes).answer(ex);
    };
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
