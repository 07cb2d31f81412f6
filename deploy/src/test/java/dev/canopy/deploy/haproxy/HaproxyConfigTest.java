package dev.canopy.deploy.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The generated configuration is one HAProxy itself accepts ({@code haproxy -c}, Debian's package),
 * checks every server on its management port, and the example in {@code deploy/haproxy} is what
 * the generator writes for the example cluster (so the committed file cannot drift from it).
 */
class HaproxyConfigTest {

  private static final Path DEPLOY = Path.of("").toAbsolutePath();
  private static final Path EXAMPLE_CLUSTER = DEPLOY.resolve("haproxy/cluster.example.json");
  private static final Path EXAMPLE_CONFIG = DEPLOY.resolve("haproxy/canopy.cfg");

  @Test
  void theExampleConfigIsWhatTheGeneratorWritesAndHaproxyAcceptsIt(@TempDir Path dir) throws Exception {
    Path written = dir.resolve("canopy.cfg");
    int exit = new CommandLine(new HaproxyConfigCommand()).execute("--cluster", EXAMPLE_CLUSTER.toString(), "--output", written.toString());
    assertThat(exit).isZero();
    assertThat(Files.readString(written)).as("deploy/haproxy/canopy.cfg is regenerated with: canopy haproxy-config "
        + "--cluster deploy/haproxy/cluster.example.json --output deploy/haproxy/canopy.cfg").isEqualTo(Files.readString(EXAMPLE_CONFIG));
    assertHaproxyAccepts(written);
  }

  @Test
  void everyServerIsCheckedWithGetHealthOnItsManagementPortAndTheConsolePassesTlsThrough() {
    String config = HaproxyConfig.render(HaproxyConfig.Frontends.defaults("192.0.2.10", "127.0.0.1:8404"),
        List.of(Backend.of("controller-1", "http://10.0.0.11:8773", "http://10.0.0.11:8781")),
        List.of(Backend.of("controller-1", "https://10.0.0.11:8780", "http://10.0.0.11:8781")),
        List.of(Backend.of("storage-1", "http://10.0.0.21:8779", "http://10.0.0.21:8781")));

    assertThat(config).contains("bind 192.0.2.10:8773", "bind 192.0.2.10:8779", "bind 192.0.2.10:8780", "bind 127.0.0.1:8404");
    assertThat(config).contains("server controller-1 10.0.0.11:8773 check addr 10.0.0.11 port 8781",
        "server controller-1 10.0.0.11:8780 check addr 10.0.0.11 port 8781",
        "server storage-1 10.0.0.21:8779 check addr 10.0.0.21 port 8781");
    assertThat(config.split("option httpchk GET /health", -1)).hasSize(4);
    // The console's TLS reaches the controller untouched: its backend is TCP, not HTTP.
    String console = config.substring(config.indexOf("\nbackend controllers_console") + 1);
    assertThat(console.lines().skip(1).findFirst()).contains("    mode tcp");
  }

  @Test
  void aClusterFileWithoutManagementUrlsIsRefusedWithExitTwo(@TempDir Path dir) throws Exception {
    Path cluster = dir.resolve("cluster.json");
    Files.writeString(cluster, """
        {"controllers": [{"id": 1, "ec2": "http://10.0.0.11:8773", "console": "https://10.0.0.11:8780"}],
         "storage": [{"id": 1, "s3": "http://10.0.0.21:8779", "management": "http://10.0.0.21:8781"}]}
        """);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(new HaproxyConfigCommand()).execute("--cluster", cluster.toString(), "--output", dir.resolve("x.cfg").toString());
    } finally {
      System.setErr(err);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("lacks id, ec2 or management");
    assertThat(dir.resolve("x.cfg")).doesNotExist();
  }

  @Test
  void aServerNameThatWouldBreakTheConfigIsRefused() {
    assertThatThrownBy(() -> Backend.of("controller 1", "http://10.0.0.11:8773", "http://10.0.0.11:8781"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server name");
  }

  private static void assertHaproxyAccepts(Path config) throws Exception {
    Process check = new ProcessBuilder("haproxy", "-c", "-f", config.toString()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("haproxy -c (Debian's haproxy package) says: %s", output).isZero();
  }
}
