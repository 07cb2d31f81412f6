package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The edges of a real {@code canopy dev} under abuse: floods of idle and slow-header
 * connections, unauthenticated uploads to the admin port, requests that would mint metric
 * series. Small caps and timeouts come from the config file, so a few hundred sockets suffice.
 */
class EdgesIT {

  private static final int PER_ADDRESS = 40;
  private static final int HEAD_TIMEOUT_SECONDS = 2;
  /** Far above the head timeout: a connection closed before this was closed by the head timeout. */
  private static final int IDLE_TIMEOUT_SECONDS = 60;
  /** Linux routes all of 127/8 to lo: the flood comes from its own address, the SDK from 127.0.0.1. */
  private static final String FLOOD_ADDRESS = "127.0.0.2";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static StaticCredentialsProvider tenant;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("canopy.yaml");
    Files.writeString(config, "connections:\n  perListener: 400\n  perAddress: " + PER_ADDRESS
        + "\n  idleTimeoutSeconds: " + IDLE_TIMEOUT_SECONDS + "\n  headTimeoutSeconds: " + HEAD_TIMEOUT_SECONDS + "\n");
    canopy = CanopyProcess.start(dir.resolve("data"), java.util.Map.of(), List.of("--config", config.toString()));
    tenant = TenantClients.tenant(canopy);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      assertThat(get(canopy.endpoint("management") + "/healthz").statusCode()).isEqualTo(200);
      assertThat(canopy.log()).doesNotContain(" ERROR ");
    } finally {
      canopy.close();
    }
  }

  @Test
  void idleAndSlowHeaderConnectionsNeitherStarveClientsNorOutliveTheHeadTimeout() throws Exception {
    List<Socket> flood = new ArrayList<>();
    try {
      for (String endpoint : List.of("ec2", "s3")) {
        URI uri = URI.create(canopy.endpoint(endpoint));
        for (int i = 0; i < PER_ADDRESS + 20; i++) {
          flood.add(connect(uri));
        }
        for (int i = 0; i < 5; i++) {
          Socket slow = connect(uri);
          slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
          flood.add(slow);
        }
      }
      // (a) Signed SDK requests from another address are served while the flood holds its share.
      try (Ec2Client ec2 = TenantClients.ec2(canopy, tenant); S3Client s3 = TenantClients.s3(canopy, tenant)) {
        assertThat(ec2.describeRegions().regions()).isNotEmpty();
        s3.createBucket(b -> b.bucket("edges"));
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("edges");
      }
      // (c) The management port is a listener of its own.
      assertThat(get(canopy.endpoint("management") + "/readyz").statusCode()).isEqualTo(200);
      // The flood went over the per-address cap on both ports.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> canopy.log().contains("EC2 port: refusing connections") && canopy.log().contains("S3 port: refusing connections"));
      // (b) The server closes every idle and slow-header connection, long before the idle timeout.
      List<Socket> open = new ArrayList<>(flood);
      await().atMost(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS / 3)).pollInterval(Duration.ofMillis(200)).until(() -> {
        open.removeIf(EdgesIT::closedByServer);
        return open.isEmpty();
      });
    } finally {
      for (Socket socket : flood) {
        socket.close();
      }
    }
  }

  @Test
  void unauthenticatedMultipartUploadsToTheAdminPortAreRefusedAndLeaveNoFiles() throws Exception {
    String boundary = "edges-boundary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"junk.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(16 * 1024) + "\r\n--" + boundary + "--\r\n";
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(canopy.endpoint("console") + "/admin/v1/accounts"))
          .header("content-type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      assertThat(answer.body()).contains("AccessDenied");
    }
    assertThat(canopy.workingDirectory().resolve("file-uploads")).doesNotExist();
  }

  @Test
  void unknownEc2ActionsDoNotGrowTheMetrics() throws Exception {
    var keys = TenantClients.firstTenant(canopy);
    URI ec2 = URI.create(canopy.endpoint("ec2"));
    // The first unknown action may add the one series all of them share.
    assertInvalidAction(ec2, keys, "EdgesAction0");
    long seriesBefore = ec2Series();
    for (int i = 1; i <= 30; i++) {
      assertInvalidAction(ec2, keys, "EdgesAction" + i);
    }
    String metrics = get(canopy.endpoint("management") + "/metrics").body();
    assertThat(ec2Series()).isEqualTo(seriesBefore);
    assertThat(metrics).doesNotContain("EdgesAction").contains("action=\"unknown\"");
  }

  private static void assertInvalidAction(URI ec2, dev.canopy.api.auth.Credential keys, String action) throws Exception {
    URI uri = ec2.resolve("/?Action=" + action + "&Version=2016-11-15");
    HttpResponse<String> answer = HTTP.send(
        AdminRequests.signedGet(uri, keys.accessKeyId(), keys.secretAccessKey(), canopy.region(), "ec2"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidAction</Code>");
  }

  private static long ec2Series() throws Exception {
    return get(canopy.endpoint("management") + "/metrics").body().lines().filter(line -> line.startsWith("canopy_ec2_requests")).count();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Socket connect(URI endpoint) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(FLOOD_ADDRESS), 0));
    socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
    return socket;
  }

  /** End of stream or a reset: the server closed it; a read that times out: still open. */
  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(5);
      InputStream in = socket.getInputStream();
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
