package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.grid.GridName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grid of a running {@code canopy dev}, probed as an attacker on the same host would: even
 * given the grid's cluster name (computed here from the master key, which an attacker would not
 * have), a Hazelcast client and a Hazelcast member get nothing; and the name is nowhere an
 * attacker could read it: not in the certificate the agent port shows, the management endpoints,
 * the data folder or the log.
 */
class GridLockdownIT {

  @TempDir static Path dir;
  static CanopyProcess canopy;
  static String clusterName;
  static String gridAddress;

  @BeforeAll
  static void start() throws Exception {
    canopy = CanopyProcess.start(dir.resolve("data"));
    clusterName = GridName.of(MasterKey.fromBase64(Files.readString(canopy.data().resolve("identity/master.key"))));
    gridAddress = canopy.endpoint("hazelcast");
  }

  @AfterAll
  static void stop() throws Exception {
    if (canopy != null) {
      canopy.close();
    }
  }

  @Test
  void aHazelcastClientWithTheClusterNameCannotConnect() {
    ClientConfig client = new ClientConfig();
    client.setClusterName(clusterName);
    client.setProperty("hazelcast.logging.type", "slf4j");
    client.getNetworkConfig().addAddress(gridAddress);
    client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);

    assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unable to connect");
  }

  @Test
  void aHazelcastMemberWithTheClusterNameIsNeverLetIn() {
    Config rogue = new Config();
    rogue.setClusterName(clusterName);
    rogue.setInstanceName("intruder-" + System.nanoTime());
    rogue.setProperty("hazelcast.logging.type", "slf4j");
    rogue.setProperty("hazelcast.phone.home.enabled", "false");
    rogue.setProperty("hazelcast.max.join.seconds", "10");
    var network = rogue.getNetworkConfig();
    network.setPort(16701).setPortAutoIncrement(true);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).setMembers(List.of(gridAddress));
    HazelcastInstance intruder;
    try {
      intruder = Hazelcast.newHazelcastInstance(rogue);
    } catch (IllegalStateException gaveUp) {
      // Under load it may give up joining instead of forming a cluster alone: nothing either way.
      assertThat(canopy.isAlive()).isTrue();
      return;
    }
    try {
      assertThat(intruder.getCluster().getMembers()).hasSize(1);
      // The tenant account every dev cloud has from its first start is not in the intruder's grid.
      assertThat(intruder.getMap("accounts").size()).isZero();
      assertThat(intruder.getMap("access-keys").size()).isZero();
    } finally {
      intruder.getLifecycleService().terminate();
    }
    assertThat(canopy.isAlive()).isTrue();
  }

  @Test
  void theClusterNameIsNotInTheAgentPortsCertificate() throws Exception {
    URI agent = URI.create(canopy.endpoint("agent"));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new AcceptAnything()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(agent.getHost(), agent.getPort())) {
      socket.startHandshake();
      for (var certificate : socket.getSession().getPeerCertificates()) {
        X509Certificate x509 = (X509Certificate) certificate;
        assertThat(x509.toString()).doesNotContain(clusterName);
        assertThat(new String(x509.getEncoded(), StandardCharsets.ISO_8859_1)).doesNotContain(clusterName);
      }
    }
  }

  @Test
  void theClusterNameIsNotOnAnyManagementEndpoint() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/metrics", "/lease", "/readyz", "/healthz")) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(canopy.endpoint("management") + path)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).as(path).doesNotContain(clusterName);
    }
  }

  @Test
  void theClusterNameIsInNoFileOfTheDataFolderAndNotInTheLog() throws Exception {
    byte[] name = clusterName.getBytes(StandardCharsets.US_ASCII);
    try (Stream<Path> files = Files.walk(canopy.data())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
            .as(file.toString()).doesNotContain(new String(name, StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(canopy.log()).doesNotContain(clusterName);
  }

  /** The probe wants to see the certificate, not to trust it. */
  private static final class AcceptAnything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
